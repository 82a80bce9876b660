"use client";

import type { TFlowsState, TSavedFlows, TTestUrlInput, TTestUrlResult } from "@lunar/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useFlowsState(initial: TFlowsState) {
  return useQuery({
    queryKey: queryKeys.flows.state(),
    queryFn: () => apiFetch<TFlowsState>("/api/flows"),
    initialData: initial,
  });
}

export function useSaveFlows() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { yaml: string; baseVersion: number }) =>
      apiFetch<TSavedFlows>("/api/flows", { method: "PUT", body: JSON.stringify(input) }),
    onSuccess: (saved) => {
      const { warnings: _warnings, ...state } = saved;
      queryClient.setQueryData(queryKeys.flows.state(), state);
      // Provider decisions and agents' "behind" markers depend on the flows.
      void queryClient.invalidateQueries({ queryKey: queryKeys.providers.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents.all });
    },
  });
}

export function useTestUrl() {
  return useMutation({
    mutationFn: (input: TTestUrlInput) =>
      apiFetch<TTestUrlResult>("/api/flows/test", { method: "POST", body: JSON.stringify(input) }),
  });
}
