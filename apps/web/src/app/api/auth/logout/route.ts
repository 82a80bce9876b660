import { deleteSession } from "@lunar/db";
import { publicRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";
import { clearedSessionCookieHeader, SESSION_COOKIE } from "@/modules/auth/lib/session-cookie";

// Public so that logging out with an already expired session still clears the cookie.
export const POST = publicRoute({}, async ({ request }) => {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(db(), token);
  const response = new Response(null, { status: 204 });
  response.headers.append("set-cookie", clearedSessionCookieHeader(request));
  return response;
});
