"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NAV_ITEMS } from "./nav-items";

export function Sidebar({ organizationName }: { organizationName: string }) {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Main"
      className="flex h-full w-60 shrink-0 flex-col bg-slate-900 text-slate-300"
    >
      <div className="flex items-center gap-2 px-5 py-5">
        <span className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">
          L
        </span>
        <div className="min-w-0">
          <p className="text-sm font-semibold text-white">Lunar MCP</p>
          <p className="truncate text-xs text-slate-400" title={organizationName}>
            {organizationName}
          </p>
        </div>
      </div>
      <ul className="flex-1 space-y-0.5 px-3">
        {NAV_ITEMS.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${
                  active ? "bg-slate-800 text-white" : "hover:bg-slate-800/60 hover:text-white"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
