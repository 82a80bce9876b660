import { listApiKeys } from "@lunar/db";
import type { Metadata } from "next";
import { env } from "@/env";
import { db } from "@/lib/db";
import { ApiKeysPanel } from "@/modules/api-keys/components/api-keys-panel";
import { toApiKeySummary } from "@/modules/api-keys/lib/to-api-key-summary";
import { requireSession } from "@/modules/auth/lib/require-session";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const session = await requireSession();
  const keys = (await listApiKeys(db(), session.organization.id)).map(toApiKeySummary);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let mcpx-agent installs report to this organization and receive its flows. A key opens the agent channel only, never this dashboard."
      />
      <ApiKeysPanel initialKeys={keys} gatewayUrl={env().LUNAR_PUBLIC_GATEWAY_URL} />
    </>
  );
}
