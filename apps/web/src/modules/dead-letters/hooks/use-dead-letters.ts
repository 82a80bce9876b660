"use client";

import type { TDeadLettersPage } from "@lunar/shared";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useDeadLetters(initial: TDeadLettersPage, limit: number) {
  return useQuery({
    queryKey: queryKeys.deadLetters.list(limit),
    queryFn: () => apiFetch<TDeadLettersPage>(`/api/dead-letters?limit=${limit}`),
    initialData: initial,
    refetchInterval: 15_000,
  });
}
