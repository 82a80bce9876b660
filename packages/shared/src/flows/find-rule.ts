import type { CompiledRule } from "./compiled-types";
import type { HostIndex } from "./host-index";
import type { RequestView } from "./request-view";
import type { RuleBucket } from "./rule-bucket";
import { matchRule } from "./rule-match";

export interface RuleMatch {
  /** The preferred rule (see `isPreferred`) that surely matches. */
  sure: CompiledRule | null;
  /** The preferred rule that matches all that was seen but has conditions on what was not. */
  unsure: CompiledRule | null;
}

/**
 * Looks up the rules for the request's host (exact, then each parent suffix) and matches them.
 * Rules that matched only partly are added to `unsureIds`; pass null when the caller does not
 * want them. Written with plain loops and no closures: this is the per-request hot path.
 *
 * Each bucket holds its rules in document order, and all rules of a bucket are alike in naming
 * the host exactly or not, so once a rule surely matches no later rule of its bucket can be
 * preferred to it (`isPreferred`), and no "*." rule to an exact one. The rest of the search is
 * skipped then, unless it could still add to `unsureIds` (some condition of the request unseen).
 */
export function findRule(
  index: HostIndex,
  view: RequestView,
  unsureIds: string[] | null,
): RuleMatch {
  const match: RuleMatch = { sure: null, unsure: null };
  const mayStop = unsureIds === null || view.sawEverything;
  considerRules(index.exactRules(view.host), view, match, unsureIds, mayStop);
  if (mayStop && match.sure !== null) return match;
  if (view.hostKind === "domain" && index.hasSubdomainRules) {
    const suffixes = view.parentSuffixes();
    for (let i = 0; i < suffixes.length; i++) {
      const suffix = suffixes[i] ?? "";
      considerRules(index.subdomainRules(suffix), view, match, unsureIds, mayStop);
    }
  }
  return match;
}

function considerRules(
  bucket: RuleBucket | undefined,
  view: RequestView,
  match: RuleMatch,
  unsureIds: string[] | null,
  mayStop: boolean,
): void {
  if (bucket === undefined) return;
  const rules = bucket.candidates(view);
  const pathHolds = bucket.candidatesMatchPath(view);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CompiledRule;
    // Later rules of this bucket come later in the document: none can be preferred any more.
    if (mayStop && match.sure !== null && rule.order > match.sure.order) return;
    const verdict = matchRule(rule, view, pathHolds);
    if (verdict === "match") {
      if (match.sure === null || isPreferred(rule, match.sure)) match.sure = rule;
    } else if (verdict === "unknown") {
      unsureIds?.push(rule.id);
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
