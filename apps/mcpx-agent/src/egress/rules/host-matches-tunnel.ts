import type { EgressRule } from "./egress-rule";

/**
 * Inside an inspected tunnel, a request whose Host names another host or port than the CONNECT
 * did is refused with 421: what is checked (the tunnel's target) must be what is dialled.
 */
export const hostMatchesTunnel: EgressRule = {
  name: "host-matches-tunnel",
  request({ target, tunnel }) {
    if (!tunnel || (tunnel.host === target.host && tunnel.port === target.port)) return null;
    return {
      rule: "builtin:host-mismatch",
      reason: `Host ${target.host}:${target.port} is not the tunnel's ${tunnel.host}:${tunnel.port}`,
      response: { status: 421, body: "Misdirected Request", contentType: "text/plain" },
    };
  },
};
