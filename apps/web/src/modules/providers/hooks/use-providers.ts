"use client";

import type { TProviderActionResult, TProvidersPage } from "@lunar/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useProviders(initial: TProvidersPage) {
  return useQuery({
    queryKey: queryKeys.providers.list(),
    queryFn: () => apiFetch<TProvidersPage>("/api/providers"),
    initialData: initial,
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
      void queryClient.invalidateQueries({ queryKey: queryKeys.flows.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.overview() });
    },
  });
}
