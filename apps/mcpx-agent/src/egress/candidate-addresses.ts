import type { ParsedTarget } from "@lunar/shared";
import type { EgressContext } from "./egress-context";
import type { Candidate } from "./rules/egress-rule";

export type Candidates =
  | { ok: true; candidates: Candidate[] }
  | { ok: false; networkError: string };

/**
 * Where a request may go, in order of preference: the operator's `--resolve` mapping
 * (`host:port=…` before `host=…`), else the IP literal itself, else what DNS says. The engine
 * checks each and dials the first that passes: what is checked is what is connected to.
 */
export async function candidateAddresses(
  context: EgressContext,
  target: ParsedTarget,
): Promise<Candidates> {
  const { host, hostKind, port } = target;
  const override =
    context.resolveOverrides.get(`${host}:${port}`) ?? context.resolveOverrides.get(host);
  if (override) {
    return {
      ok: true,
      candidates: [{ address: override.address, port: override.port, source: "operator" }],
    };
  }
  if (hostKind !== "domain")
    return { ok: true, candidates: [{ address: host, port, source: "literal" }] };
  try {
    const addresses = await context.dialer.resolve(host);
    if (addresses.length === 0) return { ok: false, networkError: "dns: no address" };
    return { ok: true, candidates: addresses.map((address) => ({ address, port, source: "dns" })) };
  } catch (error) {
    return { ok: false, networkError: `dns: ${(error as NodeJS.ErrnoException).code ?? "failed"}` };
  }
}
