import { ZLoginInput } from "@lunar/shared";
import { json, publicRoute } from "@/lib/api/api-route";
import { clientIp } from "@/modules/auth/lib/client-ip";
import { logIn } from "@/modules/auth/lib/log-in";
import { sessionCookieHeader } from "@/modules/auth/lib/session-cookie";

export const POST = publicRoute({ body: ZLoginInput }, async ({ request, body }) => {
  const { user, session } = await logIn(body, {
    userAgent: request.headers.get("user-agent") ?? undefined,
    ip: clientIp(request),
  });
  const response = json({ user: { id: user.id, email: user.email } });
  response.headers.append(
    "set-cookie",
    sessionCookieHeader(request, session.token, session.expiresAt),
  );
  return response;
});
