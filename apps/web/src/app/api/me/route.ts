import { json, sessionRoute } from "@/lib/api/api-route";

export const GET = sessionRoute({}, async ({ session }) =>
  json({ user: session.user, organization: session.organization, role: session.role }),
);
