"use client";

import type { TProviderSummary } from "@lunar/shared";
import Link from "next/link";
import { Fragment, useState } from "react";
import { hostPageUrl } from "@/modules/endpoints/lib/host-page-url";
import { DateTime } from "@/modules/shell/components/date-time";
import { formatCount, formatMs } from "@/modules/shell/components/format";
import { useProviderAction } from "../hooks/use-providers";
import { ProviderStatusBadge } from "./provider-status-badge";
import type { ProviderGroup } from "./providers-panel";

const COLUMNS = 9;

export function ProvidersTable({
  groups,
  hasAllowlist,
  hostCount,
}: {
  groups: ProviderGroup[];
  hasAllowlist: boolean;
  hostCount: number;
}) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-3">
              Host
            </th>
            <th scope="col" className="px-3 py-3">
              Status
            </th>
            <th scope="col" className="px-3 py-3">
              Flows
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Calls
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Errors
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              Blocked
            </th>
            <th scope="col" className="px-3 py-3 text-right">
              p95
            </th>
            <th scope="col" className="px-3 py-3">
              Last seen
            </th>
            <th scope="col" className="px-3 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody
            key={group.domain}
            data-testid="provider-group"
            className="divide-y divide-slate-100 border-t border-slate-200"
          >
            <tr className="bg-slate-50/70">
              <th
                scope="colgroup"
                colSpan={COLUMNS}
                className="px-3 py-2 text-left text-xs font-semibold text-slate-700"
              >
                <span className="font-mono [overflow-wrap:anywhere]">{group.domain}</span>
                <span className="ml-2 font-normal text-slate-500">
                  {group.hosts.length} {group.hosts.length === 1 ? "host" : "hosts"} ·{" "}
                  {callsText(group.hosts.reduce((sum, host) => sum + host.calls, 0))}
                </span>
              </th>
            </tr>
            {group.hosts.map((provider) => (
              <ProviderRow
                key={provider.host}
                provider={provider}
                hasAllowlist={hasAllowlist}
                otherHosts={hostCount - 1}
              />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function callsText(calls: number): string {
  return `${formatCount(calls)} ${calls === 1 ? "call" : "calls"}`;
}

function FlowsCell({ flows }: { flows: TProviderSummary["flows"] }) {
  const text = {
    allowed: "allowed",
    blocked: "blocked",
    partial: "some paths",
    refused: "not a valid host",
  }[flows.decision];
  const color = {
    allowed: "text-emerald-700",
    blocked: "text-red-700",
    partial: "text-amber-700",
    refused: "text-slate-500",
  }[flows.decision];
  return (
    <span className="text-xs">
      <span className={`font-medium ${color}`}>{text}</span>
      {flows.rule && (
        <span className="block max-w-48 truncate font-mono text-slate-500" title={flows.rule}>
          {flows.rule}
        </span>
      )}
    </span>
  );
}

function ProviderRow({
  provider,
  hasAllowlist,
  otherHosts,
}: {
  provider: TProviderSummary;
  hasAllowlist: boolean;
  otherHosts: number;
}) {
  const [confirming, setConfirming] = useState<"approve" | "block" | null>(null);
  const action = useProviderAction();
  const unknown = provider.status === "unknown";
  return (
    <Fragment>
      <tr
        data-testid="provider-row"
        className={`align-top text-slate-700 ${unknown ? "bg-amber-50/60" : ""}`}
      >
        <td className="min-w-40 max-w-xs px-3 py-3">
          <Link
            href={hostPageUrl(provider.host)}
            className="font-mono text-xs font-medium text-slate-900 [overflow-wrap:anywhere] hover:text-brand-700 hover:underline"
          >
            {provider.host}
          </Link>
        </td>
        <td className="px-3 py-3">
          <ProviderStatusBadge status={provider.status} />
        </td>
        <td className="px-3 py-3">
          <FlowsCell flows={provider.flows} />
        </td>
        <td className="px-3 py-3 text-right tabular-nums">{formatCount(provider.calls)}</td>
        <td className="px-3 py-3 text-right tabular-nums">{formatCount(provider.errors)}</td>
        <td className="px-3 py-3 text-right tabular-nums">{formatCount(provider.blocked)}</td>
        <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums">
          {formatMs(provider.p95Ms)}
        </td>
        <td className="whitespace-nowrap px-3 py-3 text-xs">
          <DateTime iso={provider.lastSeenAt} format="short" />
          <span className="block text-slate-500">
            first <DateTime iso={provider.firstSeenAt} format="short" />
          </span>
        </td>
        <td className="whitespace-nowrap px-3 py-3 text-right">
          {provider.flows.decision === "refused" ? (
            <span
              className="text-xs text-slate-500"
              title="The agent reported a host that is not a valid host name or IP address: no flows rule can name it"
            >
              no rule possible
            </span>
          ) : (
            confirming === null && (
              <span className="inline-flex gap-3">
                {provider.status !== "approved" && (
                  <button
                    type="button"
                    onClick={() => setConfirming("approve")}
                    className="text-sm font-medium text-emerald-700 hover:text-emerald-800"
                  >
                    Approve
                  </button>
                )}
                {provider.status !== "blocked" && (
                  <button
                    type="button"
                    onClick={() => setConfirming("block")}
                    className="text-sm font-medium text-red-600 hover:text-red-700"
                  >
                    Block
                  </button>
                )}
              </span>
            )
          )}
        </td>
      </tr>
      {confirming && (
        <tr data-testid="provider-confirm" className={unknown ? "bg-amber-50/60" : ""}>
          <td colSpan={COLUMNS} className="px-3 pb-4">
            <Confirmation
              action={confirming}
              host={provider.host}
              hasAllowlist={hasAllowlist}
              otherHosts={otherHosts}
              busy={action.isPending}
              error={action.error?.message ?? null}
              onConfirm={() =>
                action.mutate(
                  {
                    action: confirming,
                    host: provider.host,
                    createAllowlist: confirming === "approve" && !hasAllowlist,
                  },
                  { onSuccess: () => setConfirming(null) },
                )
              }
              onCancel={() => {
                action.reset();
                setConfirming(null);
              }}
            />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function Confirmation({
  action,
  host,
  hasAllowlist,
  otherHosts,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  action: "approve" | "block";
  host: string;
  hasAllowlist: boolean;
  otherHosts: number;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const createsAllowlist = action === "approve" && !hasAllowlist;
  const glob = host.includes(":") ? `[${host}]/*` : `${host}/*`;
  const tone = action === "block" || createsAllowlist ? "red" : "emerald";
  return (
    <div
      role="alertdialog"
      aria-label={`Confirm ${action} ${host}`}
      className={`space-y-2 rounded-lg border px-3 py-3 text-sm ${tone === "red" ? "border-red-200 bg-red-50 text-red-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
    >
      {action === "block" ? (
        <p>
          Adds the deny rule <code className="break-all font-mono text-xs">{glob}</code> to the flow{" "}
          <code className="font-mono text-xs">Blocked</code>: http and https to this host on ports
          80 and 443, every path, for every agent of the organization. A deny beats any allow. A new
          flows version is published; agents enforce it within a second.
        </p>
      ) : createsAllowlist ? (
        <>
          <p className="font-semibold">Your organization has no allowlist yet.</p>
          <p>
            Approving creates one (flow <code className="font-mono text-xs">Approved</code> with{" "}
            <code className="break-all font-mono text-xs">{glob}</code>). From then on every host
            not on it is blocked for every agent (default-deny), including the{" "}
            {formatCount(otherHosts)} other {otherHosts === 1 ? "host" : "hosts"} listed here unless
            you approve them too.
          </p>
        </>
      ) : (
        <p>
          Adds <code className="break-all font-mono text-xs">{glob}</code> (http and https on ports
          80 and 443, every path) to the allow flow{" "}
          <code className="font-mono text-xs">Approved</code>, and removes it from{" "}
          <code className="font-mono text-xs">Blocked</code> if it is there.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={busy}
          onClick={onConfirm}
          className={`rounded-md px-3 py-1.5 text-xs font-semibold text-white disabled:opacity-60 ${tone === "red" ? "bg-red-600 hover:bg-red-700" : "bg-emerald-600 hover:bg-emerald-700"}`}
        >
          {action === "block"
            ? "Confirm block"
            : createsAllowlist
              ? "Create the allowlist and approve"
              : "Confirm approve"}
        </button>
        <button type="button" onClick={onCancel} className="text-xs font-medium hover:underline">
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
