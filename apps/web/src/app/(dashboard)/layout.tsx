import type { ReactNode } from "react";
import { requireSession } from "@/modules/auth/lib/require-session";
import { LogOutButton } from "@/modules/shell/components/log-out-button";
import { Sidebar } from "@/modules/shell/components/sidebar";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <div className="flex h-full">
      <Sidebar organizationName={session.organization.name} />
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-8 py-3">
          <span className="text-sm text-slate-600" data-testid="signed-in-as">
            {session.user.email}
          </span>
          <LogOutButton />
        </div>
        <main className="flex-1 overflow-y-auto px-8 py-8">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
