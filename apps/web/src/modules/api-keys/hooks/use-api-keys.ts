"use client";

import type { TApiKeySummary, TCreatedApiKey } from "@lunar/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useApiKeys(initialKeys: TApiKeySummary[]) {
  return useQuery({
    queryKey: queryKeys.apiKeys.list(),
    queryFn: async () => (await apiFetch<{ keys: TApiKeySummary[] }>("/api/keys")).keys,
    initialData: initialKeys,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch<TCreatedApiKey>("/api/keys", { method: "POST", body: JSON.stringify({ name }) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}
