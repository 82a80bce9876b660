import type { CompiledRule } from "./compiled-types";
import type { HostPattern } from "./flow-types";

const NONE: readonly CompiledRule[] = [];

/**
 * Rules keyed by host so a lookup costs a few map reads whatever the number of rules: exact hosts
 * in one map, "*.suffix" rules in another keyed by suffix. A host is looked up as itself, then
 * each proper parent suffix against the wildcard map: "a.b.example.com" tries "b.example.com",
 * "example.com" and "com", so "*.example.com" matches it, while "example.com" (the apex) and
 * "evilexample.com" never reach the "example.com" wildcard key.
 */
export class HostIndex {
  private readonly exact = new Map<string, CompiledRule[]>();
  private readonly subdomains = new Map<string, CompiledRule[]>();
  private count = 0;

  add(host: HostPattern, rule: CompiledRule): void {
    const map = host.kind === "exact" ? this.exact : this.subdomains;
    const key = host.kind === "exact" ? host.host : host.suffix;
    const bucket = map.get(key);
    if (bucket) bucket.push(rule);
    else map.set(key, [rule]);
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  exactRules(host: string): readonly CompiledRule[] {
    return this.exact.get(host) ?? NONE;
  }

  get hasSubdomainRules(): boolean {
    return this.subdomains.size > 0;
  }

  /** The "*.suffix" rules for one parent suffix of a host. */
  subdomainRules(suffix: string): readonly CompiledRule[] {
    return this.subdomains.get(suffix) ?? NONE;
  }
}
