// Typed query keys: every React Query key is built here, never written inline.
export const queryKeys = {
  apiKeys: {
    all: ["api-keys"] as const,
    list: () => [...queryKeys.apiKeys.all, "list"] as const,
  },
  me: () => ["me"] as const,
};
