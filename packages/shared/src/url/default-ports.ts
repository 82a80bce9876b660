import type { Scheme } from "./target-types";

export const DEFAULT_PORTS: Readonly<Record<Scheme, number>> = { http: 80, https: 443 };

export function defaultPortOf(scheme: Scheme): number {
  return DEFAULT_PORTS[scheme];
}
