import { ZSignupInput } from "@lunar/shared";
import { json, publicRoute } from "@/lib/api/api-route";
import { clientIp } from "@/modules/auth/lib/client-ip";
import { sessionCookieHeader } from "@/modules/auth/lib/session-cookie";
import { signUp } from "@/modules/auth/lib/sign-up";

export const POST = publicRoute({ body: ZSignupInput }, async ({ request, body }) => {
  const { user, organization, session } = await signUp(body, {
    userAgent: request.headers.get("user-agent") ?? undefined,
    ip: clientIp(request),
  });
  const response = json(
    {
      user: { id: user.id, email: user.email },
      organization: { id: organization.id, name: organization.name },
    },
    201,
  );
  response.headers.append(
    "set-cookie",
    sessionCookieHeader(request, session.token, session.expiresAt),
  );
  return response;
});
