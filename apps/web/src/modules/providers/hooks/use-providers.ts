"use client";

import type { TProviderActionResult, TProvidersPage, TTrafficWindow } from "@lunar/shared";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

/** The page for a window; the server-rendered page seeds its own window, others load on choice. */
export function useProviders(initial: TProvidersPage, trafficWindow: TTrafficWindow) {
  return useQuery({
    queryKey: queryKeys.providers.list(trafficWindow),
    queryFn: () => apiFetch<TProvidersPage>(`/api/providers?window=${trafficWindow}`),
    initialData: trafficWindow === initial.window ? initial : undefined,
    // While another window loads, the previous one stays on screen (marked as loading).
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useProviderAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { action: "approve" | "block"; host: string; createAllowlist?: boolean }) =>
      apiFetch<TProviderActionResult>(`/api/providers/${input.action}`, {
        method: "POST",
        body: JSON.stringify({
          host: input.host,
          ...(input.createAllowlist ? { createAllowlist: true } : {}),
        }),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.providers.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.hostEndpoints.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.flows.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.overview() });
    },
  });
}
