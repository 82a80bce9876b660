"use client";

import type { TEventsPage, TEventsQuery, TOverview } from "@lunar/shared";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";

export function useOverview(initial: TOverview) {
  return useQuery({
    queryKey: queryKeys.overview(),
    queryFn: () => apiFetch<TOverview>("/api/overview"),
    initialData: initial,
    refetchInterval: 15_000,
  });
}

export function useRecentEvents(query: Partial<TEventsQuery>) {
  const search = new URLSearchParams(
    Object.entries(query).map(([key, value]) => [key, String(value)]),
  ).toString();
  return useQuery({
    queryKey: queryKeys.events.list(query),
    queryFn: () => apiFetch<TEventsPage>(`/api/events?${search}`),
    refetchInterval: 15_000,
  });
}
