"use strict";
// Routes the outbound HTTP(S) of an unmodified Node process through the agent's egress proxy.
//
// Loaded with NODE_OPTIONS=--require "<absolute path to this file>" into every Node MCP server the
// agent spawns, and (because NODE_OPTIONS is inherited) into their Node children too. It reads the
// proxy from the environment that childProxyEnvironment() (child-environment.ts) sets:
//   - global fetch (Node's built-in undici ignores proxy variables before Node 24):
//     setGlobalDispatcher(new EnvHttpProxyAgent()) from the npm `undici` 7.x, which the built-in
//     fetch (and any undici package in the child that uses the global dispatcher) picks up.
//     HTTP_PROXY/HTTPS_PROXY/NO_PROXY decide; plain http:// goes to the proxy in absolute form
//     (proxyTunnel: false) so the proxy sees its method and path, https:// through CONNECT.
//   - http/https (http.request, https.get, node-fetch, axios, got, SDKs): global-agent 3.x's
//     bootstrap(), which replaces http(s).globalAgent and wraps http(s).request/get so that even
//     code passing its own Agent is routed (GLOBAL_AGENT_FORCE_GLOBAL_AGENT=true).
// Both packages are resolved from this file's own location (the agent's node_modules), so the
// child does not need them installed. Not covered, by design (the strict mode's job): raw
// net/tls sockets, http2.connect, and an undici Agent/Client passed explicitly as `dispatcher`.
//
// Rules this file keeps: it never writes to stdout (stdout is the MCP channel of stdio servers),
// and it never crashes or stops the child: if anything fails, one line goes to stderr and the
// process continues (its calls may then bypass the proxy, which the line says).
(function mcpxEgressPreload() {
  const warn = (text) => {
    try {
      // Synchronous, so the line is out before the child's own output, and an error (stderr
      // closed) is thrown here, where it is caught, rather than emitted on a stream.
      require("node:fs").writeSync(2, `[mcpx-agent preload] ${text}\n`);
    } catch {
      // Nowhere to report: never a reason to stop the child.
    }
  };
  try {
    routeThroughProxy(warn);
  } catch (error) {
    warn(
      `outbound calls may bypass the agent's proxy: ${error instanceof Error ? error.message : error}`,
    );
  }
})();

function routeThroughProxy(warn) {
  const LOADED = Symbol.for("mcpx.agent.egressPreload");
  if (globalThis[LOADED]) return;
  globalThis[LOADED] = true;

  const env = process.env;
  const proxyFromEnv = (...names) => {
    for (const name of names) {
      const value = env[name];
      if (typeof value === "string" && value !== "") return value;
    }
    return undefined;
  };
  const httpProxy = proxyFromEnv("http_proxy", "HTTP_PROXY");
  const httpsProxy = proxyFromEnv("https_proxy", "HTTPS_PROXY") ?? httpProxy;
  // Nothing to route through: a process that inherited NODE_OPTIONS but not the proxy variables.
  if (!httpProxy && !httpsProxy) return;

  const failures = [];
  const describe = (error) => {
    const message = error instanceof Error ? error.message : String(error);
    return message.split("\n")[0];
  };
  const load = (name) => require(require.resolve(name, { paths: [__dirname] }));

  // 1. Global fetch.
  try {
    const undici = load("undici");
    undici.setGlobalDispatcher(new undici.EnvHttpProxyAgent({ proxyTunnel: false }));
  } catch (error) {
    failures.push(`global fetch (undici): ${describe(error)}`);
  }

  // 2. http and https.
  try {
    // global-agent logs through roarr, which writes JSON to stdout when ROARR_LOG=true: keep it
    // off while loading so an inherited ROARR_LOG can never corrupt the MCP channel.
    const roarrLog = env.ROARR_LOG;
    delete env.ROARR_LOG;
    let globalAgent;
    try {
      globalAgent = load("global-agent");
    } finally {
      if (roarrLog !== undefined) env.ROARR_LOG = roarrLog;
    }
    globalAgent.bootstrap();
    const controller = globalThis.GLOBAL_AGENT;
    if (controller) {
      // When only the standard variables reached this process, use them.
      if (!controller.HTTP_PROXY && httpProxy) controller.HTTP_PROXY = httpProxy;
      if (!controller.HTTPS_PROXY && httpsProxy) controller.HTTPS_PROXY = httpsProxy;
    }
    // Named ESM bindings (`import { request } from "node:https"`) are copied when the module's
    // ESM facade is first made; that normally happens after this preload, but an earlier
    // --require/--import in NODE_OPTIONS may already have made it: bring it up to date.
    require("node:module").syncBuiltinESMExports();
  } catch (error) {
    failures.push(`http/https (global-agent): ${describe(error)}`);
  }

  if (failures.length > 0) {
    warn(`outbound calls may bypass the agent's proxy: ${failures.join("; ")}`);
  }
}
