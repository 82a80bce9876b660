import { redirect } from "next/navigation";
import { readSessionFromCookies } from "@/modules/auth/lib/read-session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  redirect((await readSessionFromCookies()) ? "/overview" : "/login");
}
