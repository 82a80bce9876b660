import type { IncomingMessage, ServerResponse } from "node:http";
import type { FlowRequest, ParsedTarget, TargetResult } from "@lunar/shared";
import { decideWithBuiltins } from "./decide-with-builtins";
import type { EgressContext } from "./egress-context";
import { forwardRequest } from "./forward-request";
import { sendGenerated } from "./generated-response";
import { type HttpCallStart, recordHttpCall } from "./record-http-call";
import { resolveDestination } from "./resolve-destination";

/**
 * One HTTP request through the proxy (absolute-form, or origin-form inside an inspected tunnel):
 * parse → decide → (blocked: the generated response, no DNS, no connection) → resolve and check
 * the address → forward → record. `tunnel` is the CONNECT target when inside a tunnel.
 */
export async function handleProxiedRequest(
  context: EgressContext,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: TargetResult,
  tunnel: ParsedTarget | null,
): Promise<void> {
  const startedAt = performance.now();
  const method = req.method ?? "GET";
  if (!parsed.ok) {
    res.writeHead(400, { "content-type": "text/plain" });
    res.end(`Bad request target: ${parsed.error.message}`);
    return;
  }
  const target = parsed.target;
  const base: HttpCallStart = { method, target, startedAt, inspected: true };
  if (tunnel && (tunnel.host !== target.host || tunnel.port !== target.port)) {
    // A Host header naming another host than the tunnel: what is checked must be what is dialled.
    const bytes = sendGenerated(res, {
      status: 421,
      body: "Misdirected Request",
      contentType: "text/plain",
    });
    recordHttpCall(context, base, {
      bytesOut: 0,
      status: 421,
      bytesIn: bytes,
      decision: "blocked",
      rule: "builtin:host-mismatch",
      networkError: null,
    });
    return;
  }
  const request: FlowRequest = { target, method, headers: req.headers, server: context.server };
  const decision = decideWithBuiltins(context, request);
  if (decision.decision === "blocked") {
    req.resume();
    const bytes = sendGenerated(res, decision.response);
    recordHttpCall(context, base, {
      bytesOut: 0,
      status: decision.response?.status ?? 403,
      bytesIn: bytes,
      decision: "blocked",
      rule: decision.rule,
      networkError: null,
    });
    return;
  }
  const destination = await resolveDestination(context, request, decision);
  if (!destination.ok) {
    req.resume();
    if (destination.decision) {
      const bytes = sendGenerated(res, destination.decision.response);
      recordHttpCall(context, base, {
        bytesOut: 0,
        status: destination.decision.response?.status ?? 403,
        bytesIn: bytes,
        decision: "blocked",
        rule: destination.decision.rule,
        networkError: null,
      });
    } else {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`Bad gateway: ${destination.networkError}`);
      recordHttpCall(context, base, {
        bytesIn: 0,
        bytesOut: 0,
        status: null,
        decision: "allowed",
        rule: decision.rule,
        networkError: destination.networkError,
      });
    }
    return;
  }
  const result = await forwardRequest(
    context,
    req,
    res,
    target,
    destination.address,
    destination.port,
  );
  recordHttpCall(context, base, {
    status: result.status,
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
    networkError: result.networkError,
    decision: "allowed",
    rule: destination.decision.rule,
  });
}
