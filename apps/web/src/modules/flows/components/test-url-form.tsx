"use client";

import type { TTestUrlResult } from "@lunar/shared";
import { type FormEvent, useState } from "react";
import { useTestUrl } from "../hooks/use-flows";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const UNSEEN_TEXT: Record<string, string> = {
  headers: "headers (only the agent sees them, so header conditions were not checked)",
  method: "the method (none given)",
  path: "the path",
};

/** "Test a URL": what the saved flows decide for a URL, as the agent's proxy would. */
export function TestUrlForm({ version }: { version: number }) {
  const test = useTestUrl();
  const [url, setUrl] = useState("");
  const [method, setMethod] = useState("");
  const [server, setServer] = useState("");

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    test.mutate({
      url,
      ...(method ? { method } : {}),
      ...(server.trim() ? { server: server.trim() } : {}),
    });
  }

  return (
    <section
      aria-label="Test a URL"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-6"
    >
      <div>
        <h2 className="text-base font-semibold text-slate-900">Test a URL</h2>
        <p className="mt-0.5 text-xs text-slate-500">
          Decided with the saved flows (
          {version === 0 ? "none: visibility mode" : `version ${version}`}), not the editor's text.
        </p>
      </div>
      <form onSubmit={onSubmit} className="space-y-3">
        <label className="block text-sm">
          <span className="mb-1 block font-medium text-slate-700">URL</span>
          <input
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://api.example.com/v1/items"
            required
            maxLength={8192}
            spellCheck={false}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
          />
        </label>
        <div className="flex flex-wrap gap-3">
          <label className="text-sm">
            <span className="mb-1 block font-medium text-slate-700">Method</span>
            <select
              value={method}
              onChange={(event) => setMethod(event.target.value)}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="">any</option>
              {METHODS.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label className="min-w-40 flex-1 text-sm">
            <span className="mb-1 block font-medium text-slate-700">MCP server</span>
            <input
              value={server}
              onChange={(event) => setServer(event.target.value)}
              placeholder="none: org flows only"
              maxLength={128}
              className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
            />
          </label>
        </div>
        <button
          type="submit"
          disabled={test.isPending}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
        >
          {test.isPending ? "Testing…" : "Test"}
        </button>
      </form>
      {test.error && (
        <p role="alert" className="text-sm text-red-600">
          {test.error.message}
        </p>
      )}
      {test.data && <TestUrlResult result={test.data} />}
    </section>
  );
}

function TestUrlResult({ result }: { result: TTestUrlResult }) {
  const badge = {
    allowed: "bg-emerald-100 text-emerald-800",
    blocked: "bg-red-100 text-red-800",
    refused: "bg-slate-200 text-slate-800",
  }[result.decision];
  const target = result.target;
  return (
    <div data-testid="test-url-result" className="space-y-3 border-t border-slate-200 pt-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span
          data-testid="test-url-decision"
          className={`rounded-full px-2.5 py-0.5 text-xs font-semibold uppercase ${badge}`}
        >
          {result.decision}
        </span>
        {target && (
          <code className="break-all font-mono text-xs text-slate-600">
            {target.scheme}://{target.host.includes(":") ? `[${target.host}]` : target.host}:
            {target.port}
            {target.path}
          </code>
        )}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
        <dt className="font-medium text-slate-600">Rule</dt>
        <dd data-testid="test-url-rule" className="break-all font-mono text-xs text-slate-900">
          {result.rule ?? "none"}
        </dd>
        <dt className="font-medium text-slate-600">Reason</dt>
        <dd data-testid="test-url-reason" className="break-words text-slate-800">
          {result.reason}
        </dd>
        {result.response && (
          <>
            <dt className="font-medium text-slate-600">Answer</dt>
            <dd className="space-y-1">
              <span className="font-mono text-xs">
                {result.response.status} · {result.response.contentType}
              </span>
              <pre className="max-h-32 overflow-auto rounded bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800">
                {result.response.body}
              </pre>
            </dd>
          </>
        )}
      </dl>
      {result.notConsidered.length > 0 && (
        <p data-testid="test-url-not-considered" className="text-xs text-slate-600">
          Not considered: {result.notConsidered.map((name) => UNSEEN_TEXT[name] ?? name).join("; ")}
          .
          {result.partiallyChecked.length > 0 && (
            <>
              {" "}
              Rules that depend on them (allow taken to match, deny not to):{" "}
              <span className="font-mono">{result.partiallyChecked.join(", ")}</span>.
            </>
          )}
        </p>
      )}
      {result.decision === "allowed" && (
        <p className="text-xs text-slate-500">
          DNS is not resolved here: the agent also refuses a domain that resolves to an internal
          address unless an allow rule names the host exactly.
        </p>
      )}
    </div>
  );
}
