import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { absoluteGet } from "../testing/absolute-get";
import { startEgressHarness } from "../testing/egress-harness";
import { EGRESS_RULES } from "./authorize";
import type { EgressRule } from "./rules/egress-rule";

// One engine, every transport: a rule plugged into the engine once (a stand-in for the next rule
// type: tool rules, a secret guard, rate limits) holds for absolute-form HTTP, HTTP inside a
// tunnel, inspected HTTPS and blind CONNECT tunnels alike, and each refused call is recorded once.
const FLOWS = `
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value: ["*.googleapis.com/*"]
`;

const guard: EgressRule = {
  name: "test-guard",
  request: ({ target }) =>
    target.host === "a.b.googleapis.com"
      ? {
          rule: "test:guard",
          reason: "guarded host",
          response: { status: 451, body: "Guarded", contentType: "text/plain" },
        }
      : null,
};

describe("a rule plugged into the engine holds for every transport", () => {
  let inspecting: Awaited<ReturnType<typeof startEgressHarness>>;
  let blind: Awaited<ReturnType<typeof startEgressHarness>>;

  beforeAll(async () => {
    inspecting = await startEgressHarness({ flowsYaml: FLOWS });
    blind = await startEgressHarness({ flowsYaml: FLOWS });
    (blind.context.noInspect as Set<string>).add("*");
    for (const harness of [inspecting, blind]) harness.context.rules = [...EGRESS_RULES, guard];
  });
  afterAll(async () => {
    await inspecting.close();
    await blind.close();
  });

  /** Runs `call`; returns its status and the events it added, checking nothing went upstream. */
  async function refusedCall(
    harness: typeof inspecting,
    call: () => Promise<{ status: number; body: string }>,
  ) {
    const events = harness.events.length;
    const arrived = harness.upstream.requests.length;
    const response = await call();
    expect(harness.upstream.requests.length).toBe(arrived);
    return { ...response, events: harness.events.slice(events) };
  }

  it("absolute-form HTTP", async () => {
    const result = await refusedCall(inspecting, () =>
      absoluteGet(inspecting.proxy.port, "http://a.b.googleapis.com/x"),
    );
    expect(result).toMatchObject({ status: 451, body: "Guarded" });
    expect(result.events).toEqual([
      expect.objectContaining({ method: "GET", rule: "test:guard", decision: "blocked" }),
    ]);
  });

  it.each(["http", "https"])("%s inside a tunnel", async (scheme) => {
    const result = await refusedCall(inspecting, async () => {
      const response = await inspecting.fetch(`${scheme}://a.b.googleapis.com/x`);
      return { status: response.status, body: response.text };
    });
    expect(result).toMatchObject({ status: 451, body: "Guarded" });
    expect(result.events).toEqual([
      expect.objectContaining({ scheme, rule: "test:guard", decision: "blocked", inspected: true }),
    ]);
  });

  it("a blind CONNECT tunnel", async () => {
    const result = await refusedCall(blind, () =>
      rawConnect(blind.proxy.port, "a.b.googleapis.com:443"),
    );
    expect(result.status).toBe(451);
    expect(result.body).toBe("Guarded");
    expect(result.events).toEqual([
      expect.objectContaining({
        method: "CONNECT",
        rule: "test:guard",
        decision: "blocked",
        inspected: false,
      }),
    ]);
  });

  it("and lets everything else through", async () => {
    expect((await inspecting.fetch("https://maps.googleapis.com/x")).status).toBe(200);
    expect((await absoluteGet(inspecting.proxy.port, "http://maps.googleapis.com/x")).status).toBe(
      200,
    );
  });
});

/** A raw CONNECT; resolves with the proxy's answer once it has closed the connection. */
function rawConnect(proxyPort: number, authority: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const socket = connect(proxyPort, "127.0.0.1");
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body });
    });
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}
