import type { CompiledRule } from "./compiled-types";
import type { HostPattern } from "./flow-types";
import { RuleBucket } from "./rule-bucket";

/**
 * Rules keyed by host so a lookup costs a few map reads whatever the number of rules: exact hosts
 * in one map, "*.suffix" rules in another keyed by suffix. A host is looked up as itself, then
 * each proper parent suffix against the wildcard map: "a.b.example.com" tries "b.example.com",
 * "example.com" and "com", so "*.example.com" matches it, while "example.com" (the apex) and
 * "evilexample.com" never reach the "example.com" wildcard key.
 */
export class HostIndex {
  private readonly exact = new Map<string, RuleBucket>();
  private readonly subdomains = new Map<string, RuleBucket>();
  private count = 0;

  add(host: HostPattern, rule: CompiledRule): void {
    const map = host.kind === "exact" ? this.exact : this.subdomains;
    const key = host.kind === "exact" ? host.host : host.suffix;
    let bucket = map.get(key);
    if (!bucket) {
      bucket = new RuleBucket();
      map.set(key, bucket);
    }
    bucket.add(rule);
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  /** The rules naming this exact host; undefined when there are none. */
  exactRules(host: string): RuleBucket | undefined {
    return this.exact.get(host);
  }

  get hasSubdomainRules(): boolean {
    return this.subdomains.size > 0;
  }

  /** The "*.suffix" rules for one parent suffix of a host. */
  subdomainRules(suffix: string): RuleBucket | undefined {
    return this.subdomains.get(suffix);
  }
}
