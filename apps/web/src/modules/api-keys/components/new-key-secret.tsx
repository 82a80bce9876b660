"use client";

import type { TCreatedApiKey } from "@lunar/shared";
import { useState } from "react";
import { ConnectAgentSnippet } from "@/modules/shell/components/connect-agent-snippet";

/** The one and only display of a new key's secret. */
export function NewKeySecret({
  created,
  gatewayUrl,
  onDismiss,
}: {
  created: TCreatedApiKey;
  gatewayUrl: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <section
      aria-label="New API key"
      className="space-y-4 rounded-xl border border-emerald-200 bg-emerald-50 p-6"
    >
      <div>
        <h2 className="text-base font-semibold text-emerald-900">Key “{created.name}” created</h2>
        <p className="mt-1 text-sm text-emerald-800">
          Copy it now: this is the only time it is shown. We store only a hash of it.
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <code
          data-testid="new-key-secret"
          className="select-all break-all rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
        >
          {created.secret}
        </code>
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(created.secret).catch(() => {});
            setCopied(true);
          }}
          className="rounded-md border border-emerald-300 bg-white px-3 py-2 text-sm font-medium text-emerald-800 hover:bg-emerald-100"
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <ConnectAgentSnippet gatewayUrl={gatewayUrl} apiKey={created.secret} />
      <button
        type="button"
        onClick={onDismiss}
        className="text-sm font-medium text-emerald-800 underline-offset-2 hover:underline"
      >
        I have copied it, hide it
      </button>
    </section>
  );
}
