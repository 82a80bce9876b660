import { findSessionContext, type TSessionContext } from "@lunar/db";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { db } from "@/lib/db";
import { SESSION_COOKIE } from "./session-cookie";

export async function readSessionFromRequest(
  request: NextRequest,
): Promise<TSessionContext | null> {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  return token ? findSessionContext(db(), token) : null;
}

/** For server components: the signed-in user, or null. */
export async function readSessionFromCookies(): Promise<TSessionContext | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? findSessionContext(db(), token) : null;
}
