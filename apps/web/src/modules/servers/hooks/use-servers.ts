"use client";

import type { TServersPage, TTrafficWindow } from "@lunar/shared";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

/** The page for a window; the server-rendered page seeds its own window, others load on choice. */
export function useServers(initial: TServersPage, trafficWindow: TTrafficWindow) {
  return useQuery({
    queryKey: queryKeys.servers.list(trafficWindow),
    queryFn: () => apiFetch<TServersPage>(`/api/servers?window=${trafficWindow}`),
    initialData: trafficWindow === initial.window ? initial : undefined,
    // While another window loads, the previous one stays on screen (marked as loading).
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}
