import type { TFlowsState } from "@lunar/shared";

/** Version in force and what it means: visibility (allow and record) or default-deny. */
export function FlowsStatus({ state }: { state: TFlowsState }) {
  const allowlist = state.mode === "allowlist";
  return (
    <section aria-label="Flows in force" className="space-y-3">
      <div className="grid gap-4 sm:grid-cols-3">
        <Figure label="Version in force" testId="flows-version">
          {state.version === 0 ? "None" : `v${state.version}`}
        </Figure>
        <Figure label="Mode" testId="flows-mode">
          <span
            className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${allowlist ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-700"}`}
          >
            {allowlist ? "Allowlist (default-deny)" : "Visibility"}
          </span>
        </Figure>
        <Figure label="Url rules" testId="flows-rule-count">
          {state.ruleCount}
        </Figure>
      </div>
      <p className="text-sm text-slate-600">
        {allowlist
          ? "Only calls matching an allow rule leave the machine; anything else gets the generated block response. Deny rules win over allow rules."
          : "Every outbound call is allowed and recorded (deny rules still block what they match). An allow rule switches the organization to default-deny."}
        {state.serverAllowlists.length > 0 && (
          <>
            {" "}
            MCP servers with their own allowlist:{" "}
            {state.serverAllowlists.map((server, index) => (
              <span key={server}>
                {index > 0 && ", "}
                <code className="font-mono text-xs">{server}</code>
              </span>
            ))}
            .
          </>
        )}
      </p>
      {state.storedErrors.length > 0 && (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <p className="font-semibold">The stored version does not load: agents refuse it.</p>
          <ul className="mt-1 list-disc pl-5">
            {state.storedErrors.map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity
              <li key={index}>{issue.message}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Figure({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-5 py-4">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</p>
      <p data-testid={testId} className="mt-1 text-xl font-semibold text-slate-900">
        {children}
      </p>
    </div>
  );
}
