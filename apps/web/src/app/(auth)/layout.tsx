import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="grid min-h-full lg:grid-cols-2">
      <main className="flex items-center justify-center bg-white px-6 py-12">{children}</main>
      <aside className="hidden flex-col justify-center gap-6 bg-slate-900 p-16 text-slate-300 lg:flex">
        <p className="text-sm font-semibold uppercase tracking-wider text-brand-500">
          Egress control for MCP servers
        </p>
        <h2 className="text-3xl font-semibold leading-tight text-white">
          Every outbound call of every MCP server your agents run, seen and governed.
        </h2>
        <ul className="space-y-3 text-sm">
          <li>Providers, endpoints, volumes, latency and errors per MCP server.</li>
          <li>Unknown domains flagged the moment they are first contacted.</li>
          <li>Allowlists enforced on every agent within a second.</li>
        </ul>
      </aside>
    </div>
  );
}
