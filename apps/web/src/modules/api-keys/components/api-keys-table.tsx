"use client";

import type { TApiKeySummary } from "@lunar/shared";
import { useState } from "react";
import { useRevokeApiKey } from "../hooks/use-api-keys";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

// Rendered on the server (its time zone) and then in the browser (the user's): the text may
// differ, which is expected, so React is told not to treat it as a hydration error.
function DateCell({ iso }: { iso: string | null }) {
  if (!iso) return <>Never</>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {dateFormat.format(new Date(iso))}
    </time>
  );
}

export function ApiKeysTable({ keys }: { keys: TApiKeySummary[] }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-6 py-3">
              Name
            </th>
            <th scope="col" className="px-6 py-3">
              Key
            </th>
            <th scope="col" className="px-6 py-3">
              Created
            </th>
            <th scope="col" className="px-6 py-3">
              Last used
            </th>
            <th scope="col" className="px-6 py-3">
              Status
            </th>
            <th scope="col" className="px-6 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <ApiKeyRow key={key.id} apiKey={key} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: TApiKeySummary }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeApiKey();
  const revoked = apiKey.revokedAt !== null;
  return (
    <tr data-testid="api-key-row" className={revoked ? "text-slate-400" : "text-slate-700"}>
      <td className="px-6 py-4 font-medium text-slate-900">{apiKey.name}</td>
      <td className="px-6 py-4 font-mono text-xs">{apiKey.prefix}…</td>
      <td className="px-6 py-4">
        <DateCell iso={apiKey.createdAt} />
      </td>
      <td className="px-6 py-4">
        <DateCell iso={apiKey.lastUsedAt} />
      </td>
      <td className="px-6 py-4">
        {revoked ? (
          <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-600">
            Revoked <DateCell iso={apiKey.revokedAt} />
          </span>
        ) : (
          <span className="rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-medium text-emerald-800">
            Active
          </span>
        )}
      </td>
      <td className="px-6 py-4 text-right">
        {!revoked && !confirming && (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            className="text-sm font-medium text-red-600 hover:text-red-700"
          >
            Revoke
          </button>
        )}
        {!revoked && confirming && (
          <span className="inline-flex items-center gap-3">
            <span className="text-xs text-slate-500">Agents using it disconnect.</span>
            <button
              type="button"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(apiKey.id)}
              className="rounded-md bg-red-600 px-3 py-1.5 text-xs font-semibold text-white hover:bg-red-700 disabled:opacity-60"
            >
              Confirm revoke
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="text-xs font-medium text-slate-600 hover:text-slate-900"
            >
              Cancel
            </button>
          </span>
        )}
        {revoke.error && (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {revoke.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}
