import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

/** 200 when the dashboard can reach its database (compose and `npm start` wait on this). */
export async function GET(): Promise<Response> {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json(
      { status: "unavailable", detail: "The database is not reachable" },
      { status: 503 },
    );
  }
}
