"use client";

import type { THostEndpointsPage, TTrafficWindow } from "@lunar/shared";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

/** The host's endpoints for a window; the server-rendered page seeds its own window. */
export function useHostEndpoints(initial: THostEndpointsPage, trafficWindow: TTrafficWindow) {
  const host = initial.provider.host;
  return useQuery({
    queryKey: queryKeys.hostEndpoints.list(host, trafficWindow),
    queryFn: () =>
      apiFetch<THostEndpointsPage>(
        `/api/providers/${encodeURIComponent(host)}/endpoints?window=${trafficWindow}`,
      ),
    initialData: trafficWindow === initial.window ? initial : undefined,
    // While another window loads, the previous one stays on screen (marked as loading).
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}
