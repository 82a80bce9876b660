import type { Metadata } from "next";
import { requireSession } from "@/modules/auth/lib/require-session";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await requireSession();
  const rows = [
    ["Organization", session.organization.name],
    ["Organization id", session.organization.id],
    ["Your email", session.user.email],
    ["Your role", session.role],
  ] as const;
  return (
    <>
      <PageHeader title="Settings" description="Your organization and account." />
      <dl className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        {rows.map(([label, value]) => (
          <div key={label} className="grid grid-cols-3 gap-4 px-6 py-4 text-sm">
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="col-span-2 break-all text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
