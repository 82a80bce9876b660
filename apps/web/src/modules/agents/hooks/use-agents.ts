"use client";

import type { TAgentsPage } from "@lunar/shared";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useAgents(initial: TAgentsPage) {
  return useQuery({
    queryKey: queryKeys.agents.list(),
    queryFn: () => apiFetch<TAgentsPage>("/api/agents"),
    initialData: initial,
    refetchInterval: 15_000,
  });
}
