"use strict";
// Test-only preload (NODE_OPTIONS=--require) for child processes in interception tests: refuses
// to resolve any name but "localhost" and to connect to any IP outside 127.0.0.0/8 and ::1, and
// says so on stderr ("[loopback-guard] refused …"). The tests name public-looking hosts that only
// the recording proxy knows; if a client bypassed the proxy it would otherwise send a DNS query
// to the machine's resolver, which is off loopback. With this guard a bypass fails locally and
// the test sees it. Never loaded outside tests.
const dns = require("node:dns");
const net = require("node:net");

if (!globalThis[Symbol.for("mcpx.test.loopbackGuard")]) {
  globalThis[Symbol.for("mcpx.test.loopbackGuard")] = true;

  const isLoopbackIp = (host) =>
    (net.isIPv4(host) && host.startsWith("127.")) ||
    (net.isIPv6(host) && (host === "::1" || /^::ffff:127\./i.test(host)));

  const refusal = (what) => {
    process.stderr.write(`[loopback-guard] refused ${what}\n`);
    const error = new Error(`loopback guard refused ${what}`);
    error.code = "ENOTFOUND";
    return error;
  };

  const originalLookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, options, callback) {
    const done = typeof options === "function" ? options : callback;
    const opts = typeof options === "object" && options !== null ? options : {};
    const name = String(hostname);
    if (net.isIP(name)) return originalLookup.call(this, hostname, options, callback);
    if (name.toLowerCase() === "localhost") {
      const family = opts.family === 6 ? 6 : 4;
      const address = family === 6 ? "::1" : "127.0.0.1";
      process.nextTick(() =>
        opts.all ? done(null, [{ address, family }]) : done(null, address, family),
      );
      return {};
    }
    const error = refusal(`DNS lookup of ${name}`);
    process.nextTick(() => done(error));
    return {};
  };

  const promisesLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromisesLookup(hostname, options) {
    const name = String(hostname);
    if (net.isIP(name) || name.toLowerCase() === "localhost") {
      return promisesLookup.call(this, net.isIP(name) ? name : "127.0.0.1", options);
    }
    throw refusal(`DNS lookup of ${name}`);
  };

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    let first = args[0];
    if (Array.isArray(first)) first = first[0]; // net's own normalised [options, callback]
    let host;
    if (first !== null && typeof first === "object") {
      if (first.path === undefined) host = first.host;
    } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
      host = typeof args[1] === "string" ? args[1] : undefined;
    }
    if (typeof host === "string" && net.isIP(host) && !isLoopbackIp(host)) {
      const error = refusal(`connection to ${host}`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return originalConnect.apply(this, args);
  };
}
