import type { TEventsQuery, TTrafficWindow } from "@lunar/shared";

// Typed query keys: every React Query key is built here, never written inline.
export const queryKeys = {
  apiKeys: {
    all: ["api-keys"] as const,
    list: () => [...queryKeys.apiKeys.all, "list"] as const,
  },
  flows: {
    all: ["flows"] as const,
    state: () => [...queryKeys.flows.all, "state"] as const,
  },
  providers: {
    all: ["providers"] as const,
    list: (window: TTrafficWindow) => [...queryKeys.providers.all, "list", window] as const,
  },
  hostEndpoints: {
    all: ["host-endpoints"] as const,
    list: (host: string, window: TTrafficWindow) =>
      [...queryKeys.hostEndpoints.all, "list", host, window] as const,
  },
  servers: {
    all: ["servers"] as const,
    list: (window: TTrafficWindow) => [...queryKeys.servers.all, "list", window] as const,
  },
  events: {
    all: ["events"] as const,
    list: (query: Partial<TEventsQuery>) => [...queryKeys.events.all, "list", query] as const,
  },
  overview: () => ["overview"] as const,
  agents: {
    all: ["agents"] as const,
    list: () => [...queryKeys.agents.all, "list"] as const,
  },
  deadLetters: {
    all: ["dead-letters"] as const,
    list: (limit: number) => [...queryKeys.deadLetters.all, "list", limit] as const,
  },
  me: () => ["me"] as const,
};
