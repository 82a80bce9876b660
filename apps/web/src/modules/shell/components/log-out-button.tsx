"use client";

import { useState } from "react";
import { apiFetch } from "@/lib/api-client";
import { useHydrated } from "@/lib/use-hydrated";
import { enterSessionPage } from "@/modules/auth/lib/enter-session-page";

export function LogOutButton() {
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      disabled={busy || !hydrated}
      onClick={async () => {
        setBusy(true);
        await apiFetch("/api/auth/logout", { method: "POST" }).catch(() => {});
        enterSessionPage("/login");
      }}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
    >
      Log out
    </button>
  );
}
