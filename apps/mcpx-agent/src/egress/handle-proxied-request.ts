import type { IncomingMessage, ServerResponse } from "node:http";
import type { ParsedTarget, TargetResult } from "@lunar/shared";
import type { EgressContext } from "./egress-context";
import { forwardRequest } from "./forward-request";
import { badRequest, sendGenerated } from "./generated-response";
import { proxyCall } from "./proxy-call";

/**
 * One HTTP request through the proxy (absolute-form, or origin-form inside an inspected tunnel,
 * where `tunnel` is the CONNECT target): decided by `authorize`, then forwarded to the checked
 * address or answered by the proxy itself, then recorded (`proxyCall`).
 */
export function handleProxiedRequest(
  context: EgressContext,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: TargetResult,
  tunnel: ParsedTarget | null,
): Promise<void> {
  if (!parsed.ok) {
    req.resume();
    sendGenerated(res, badRequest(parsed.error.message), false);
    return Promise.resolve();
  }
  const target = parsed.target;
  const request = {
    target,
    method: req.method ?? "GET",
    headers: req.headers,
    server: context.server,
    tunnel,
  };
  return proxyCall(context, request, {
    reply(response, blocked) {
      // The body is not wanted, but must be read for the connection to carry the next request.
      req.resume();
      return sendGenerated(res, response, blocked);
    },
    forward: (verdict) => forwardRequest(context, req, res, target, verdict.address, verdict.port),
  });
}
