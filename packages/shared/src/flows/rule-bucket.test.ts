import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTarget } from "../url/parse-target";
import { compileFlows } from "./compile-flows";
import { loadFlowsDocument } from "./load-flows-document";
import { RequestView } from "./request-view";
import { matchRule } from "./rule-match";

// A bucket's path trie may only drop rules that matchRule answers "no" for: then the search
// over its candidates is the search over all its rules. When it says its candidates match the
// path, skipping the path check must not change any verdict. Checked on random path globs (exact,
// prefix, "*" segments, any case) against random paths, with and without method and path seen.

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const segment = fc.constantFrom("a", "b", "A", "x", "", "*", "%2F", "a;b");
const globPath = fc.oneof(
  fc.constant(""),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`),
);
const requestPath = fc
  .array(fc.constantFrom("a", "b", "A", "x", "", "B", "a%2Fb", "a;b", ".."), { maxLength: 5 })
  .map((s) => `/${s.join("/")}`);

describe("rule buckets", () => {
  it("candidates hold every rule of the bucket that does not surely fail, in document order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(globPath, fc.boolean(), fc.constantFrom(null, ["GET"], ["POST"])), {
          minLength: 8,
          maxLength: 30,
        }),
        requestPath,
        fc.constantFrom("absolute", "connect"),
        fc.constantFrom(undefined, "GET", "POST"),
        (rules, path, form, method) => {
          const document: Record<string, unknown> = {};
          rules.forEach(([glob, deny, methods], i) => {
            if (glob.includes("*") && !/(^|\/)\*(\/|$)/.test(glob)) return;
            document[`F${i}`] = {
              processor: "Filter",
              parameters: [
                { key: "urls", value: [`api.example.com${glob}`] },
                ...(deny ? [{ key: "action", value: "deny" }] : []),
                ...(methods ? [{ key: "methods", value: methods }] : []),
              ],
            };
          });
          const load = loadFlowsDocument(document);
          if (!load.ok) return;
          const flows = compileFlows(load.document);
          const parsed = parseTarget(
            form === "connect"
              ? { kind: "connect", authority: "api.example.com:443" }
              : { kind: "absolute", url: `https://api.example.com${path}` },
          );
          if (!parsed.ok) return;
          const view = new RequestView({ target: parsed.target, method, server: null });
          for (const index of [flows.org.deny, flows.org.allow]) {
            const bucket = index?.exactRules("api.example.com");
            if (!bucket) continue;
            const candidates = bucket.candidates(view);
            const expected = bucket.rules.filter((rule) => matchRule(rule, view) !== "no");
            expect(candidates.filter((rule) => matchRule(rule, view) !== "no")).toEqual(expected);
            if (bucket.candidatesMatchPath(view)) {
              for (const rule of candidates) {
                expect(matchRule(rule, view, true)).toBe(matchRule(rule, view));
              }
            }
            const orders = candidates.map((rule) => rule.order);
            expect(orders).toEqual([...orders].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);
});
