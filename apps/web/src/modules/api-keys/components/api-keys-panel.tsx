"use client";

import type { TApiKeySummary, TCreatedApiKey } from "@lunar/shared";
import { useState } from "react";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { useApiKeys } from "../hooks/use-api-keys";
import { ApiKeysTable } from "./api-keys-table";
import { CreateApiKeyForm } from "./create-api-key-form";
import { NewKeySecret } from "./new-key-secret";

export function ApiKeysPanel({
  initialKeys,
  gatewayUrl,
}: {
  initialKeys: TApiKeySummary[];
  gatewayUrl: string;
}) {
  const keys = useApiKeys(initialKeys);
  const [created, setCreated] = useState<TCreatedApiKey | null>(null);
  return (
    <div className="space-y-6">
      <div className="rounded-xl border border-slate-200 bg-white p-6">
        <CreateApiKeyForm onCreated={setCreated} />
      </div>
      {created && (
        <NewKeySecret
          created={created}
          gatewayUrl={gatewayUrl}
          onDismiss={() => setCreated(null)}
        />
      )}
      {keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>
            Create a key for each machine or person running mcpx-agent, so you can revoke one
            without disturbing the others.
          </p>
        </EmptyState>
      ) : (
        <ApiKeysTable keys={keys.data} />
      )}
    </div>
  );
}
