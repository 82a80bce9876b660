import type { ResolveOverride } from "./egress-context";

/**
 * `--resolve HOST=ADDR:PORT` or `--resolve HOST:PORT=ADDR:PORT` (repeatable): send a host's
 * traffic to another address, for demos and tests against local stand-ins. The flows still
 * decide on HOST; the mapping is the operator's explicit choice.
 */
export function parseResolve(values: readonly string[]): Map<string, ResolveOverride> {
  const overrides = new Map<string, ResolveOverride>();
  for (const value of values) {
    const match = /^([^=\s]+)=(\[[0-9a-fA-F:.]+\]|[^:=\s]+):(\d{1,5})$/.exec(value);
    if (!match) throw new Error(`--resolve ${value}: expected HOST[:PORT]=ADDRESS:PORT`);
    const [, name, address, port] = match as unknown as [string, string, string, string];
    const portNumber = Number(port);
    if (portNumber < 1 || portNumber > 65535)
      throw new Error(`--resolve ${value}: port out of range`);
    overrides.set(name.toLowerCase().replace(/\.$/, "").replace(/\.:/, ":"), {
      address: address.replace(/^\[|\]$/g, ""),
      port: portNumber,
    });
  }
  return overrides;
}
