import type { TSessionContext } from "@lunar/db";
import { redirect } from "next/navigation";
import { readSessionFromCookies } from "./read-session";

/** For dashboard pages: the session, or a redirect to the login page. */
export async function requireSession(): Promise<TSessionContext> {
  const session = await readSessionFromCookies();
  if (!session) redirect("/login");
  return session;
}
