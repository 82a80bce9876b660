import type { CompiledRule } from "./compiled-types";
import type { HostIndex } from "./host-index";
import type { RequestView } from "./request-view";
import { matchRule } from "./rule-match";

export interface RuleMatch {
  /** The preferred rule (see `isPreferred`) that surely matches. */
  sure: CompiledRule | null;
  /** The preferred rule that matches all that was seen but has conditions on what was not. */
  unsure: CompiledRule | null;
}

/**
 * Looks up the rules for the request's host (exact, then each parent suffix) and matches them.
 * Rules that matched only partly are added to `unsureIds`. Written with plain loops and no
 * closures: this is the per-request hot path.
 */
export function findRule(index: HostIndex, view: RequestView, unsureIds: string[]): RuleMatch {
  const match: RuleMatch = { sure: null, unsure: null };
  considerRules(index.exactRules(view.host), view, match, unsureIds);
  if (view.hostKind === "domain" && index.hasSubdomainRules) {
    const host = view.host;
    for (let dot = host.indexOf("."); dot >= 0; dot = host.indexOf(".", dot + 1)) {
      considerRules(index.subdomainRules(host.slice(dot + 1)), view, match, unsureIds);
    }
  }
  return match;
}

function considerRules(
  rules: readonly CompiledRule[],
  view: RequestView,
  match: RuleMatch,
  unsureIds: string[],
): void {
  for (const rule of rules) {
    const verdict = matchRule(rule, view);
    if (verdict === "match") {
      if (match.sure === null || isPreferred(rule, match.sure)) match.sure = rule;
    } else if (verdict === "unknown") {
      unsureIds.push(rule.id);
      if (match.unsure === null || isPreferred(rule, match.unsure)) match.unsure = rule;
    }
  }
}

/**
 * Which of two matching rules decides: one naming the exact host before a "*." glob (the more
 * specific, and the one that may reach internal addresses), then the earlier in the document.
 */
export function isPreferred(candidate: CompiledRule, current: CompiledRule): boolean {
  if (candidate.namesHostExactly !== current.namesHostExactly) return candidate.namesHostExactly;
  return candidate.order < current.order;
}
