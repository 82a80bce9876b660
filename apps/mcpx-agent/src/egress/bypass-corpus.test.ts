import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEgressHarness } from "../testing/egress-harness";

// The bypass corpus, through the real proxy on real sockets (not only the evaluator): raw
// request lines, CONNECT authorities, Host headers and SNI names an attacker controls. Expected:
//   pass   – 200 from the stand-in upstream;
//   deny   – the generated 403, and nothing reached the upstream;
//   refuse – refused before any rule (400 bad target, 421 Host/CONNECT mismatch, TLS refused),
//            and nothing reached the upstream.
const FLOWS = `
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - slack.com/api/*
        - "*.googleapis.com/*"
DenyAdmin:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - key: urls
      value: ["*.googleapis.com/admin/*"]
`;

type Expect = "pass" | "deny" | "refuse";

const ABSOLUTE: [string, Expect][] = [
  ["http://slack.com/api/chat.postMessage", "pass"],
  ["http://SLACK.COM/api/x", "pass"],
  ["http://Slack.Com./api/x", "pass"],
  ["http://slack.com:80/api/x", "pass"],
  ["http://slack.com/api/x/../y", "pass"],
  ["http://slack.com/api/x?next=http://evil.io/", "pass"],
  ["http://evil.io@slack.com/api/x", "pass"],
  ["http://maps.googleapis.com/maps/api/geocode/json", "pass"],
  ["http://a.b.googleapis.com/x", "pass"],
  ["http://MAPS.googleapis.com./x", "pass"],
  ["http://slack.com/API/x", "deny"],
  ["http://slack.com/api", "deny"],
  ["http://slack.com/", "deny"],
  ["http://slack.com/api/../admin", "deny"],
  ["http://slack.com/api/%2e%2e/admin", "deny"],
  ["http://slack.com/api/%2E%2E/admin", "deny"],
  ["http://slack.com:8080/api/x", "deny"],
  ["http://evilslack.com/api/x", "deny"],
  ["http://slack.com.evil.io/api/x", "deny"],
  ["http://slack.com@evil.io/api/x", "deny"],
  ["http://googleapis.com/x", "deny"],
  ["http://evilgoogleapis.com/x", "deny"],
  ["http://googleapis.com.evil.io/x", "deny"],
  ["http://maps.googleapis.com/admin/users", "deny"],
  ["http://maps.googleapis.com/ADMIN/users", "deny"],
  ["http://maps.googleapis.com/x/../admin/users", "deny"],
  ["http://api.badactor.com/steal_data", "deny"],
  ["http://xn--slck-loa.com/api/x", "deny"],
  ["http://2130706433/", "deny"],
  ["http://0177.0.0.1/", "deny"],
  ["http://0x7f.1/", "deny"],
  ["http://127.1/", "deny"],
  ["http://127.0.0.1/", "deny"],
  ["http://[::1]/", "deny"],
  ["http://[::ffff:127.0.0.1]/", "deny"],
  ["http://[0:0:0:0:0:0:0:1]/", "deny"],
  ["http://169.254.169.254/latest/meta-data/", "deny"],
  ["http://10.0.0.1/", "deny"],
  ["http://192.168.1.1/", "deny"],
  ["http://sl%61ck.com/api/x", "refuse"],
  ["http://slack.com%2eevil.io/api/x", "refuse"],
  ["ftp://slack.com/api/x", "refuse"],
  ["http:///api/x", "refuse"],
  ["/api/x", "refuse"],
];

const BLIND_CONNECT: [string, Expect][] = [
  ["slack.com:443", "pass"],
  ["SLACK.COM:443", "pass"],
  ["slack.com.:443", "pass"],
  ["maps.googleapis.com:443", "pass"],
  ["evil.io:443", "deny"],
  ["api.badactor.com:443", "deny"],
  ["googleapis.com:443", "deny"],
  ["slack.com:8443", "deny"],
  ["127.0.0.1:443", "deny"],
  ["[::1]:443", "deny"],
  ["2130706433:443", "deny"],
  ["169.254.169.254:80", "deny"],
  ["slack.com", "refuse"],
  ["user@slack.com:443", "refuse"],
  ["slack.com:99999", "refuse"],
];

// CONNECT authority, the SNI the client sends, the Host header and path inside the tunnel.
const INSPECTED: [string, string, string, string, Expect][] = [
  ["slack.com:443", "slack.com", "slack.com", "/api/x", "pass"],
  ["maps.googleapis.com:443", "maps.googleapis.com", "maps.googleapis.com", "/maps/api/x", "pass"],
  ["slack.com:443", "slack.com", "slack.com", "/admin", "deny"],
  ["slack.com:443", "slack.com", "slack.com", "/api/../admin", "deny"],
  ["maps.googleapis.com:443", "maps.googleapis.com", "maps.googleapis.com", "/admin/x", "deny"],
  ["api.badactor.com:443", "api.badactor.com", "api.badactor.com", "/steal_data", "deny"],
  ["slack.com:443", "slack.com", "api.badactor.com", "/steal_data", "refuse"],
  ["api.badactor.com:443", "api.badactor.com", "slack.com", "/api/x", "refuse"],
  ["slack.com:443", "api.badactor.com", "slack.com", "/api/x", "refuse"],
  ["slack.com:443", "slack.com", "slack.com", "https://api.badactor.com/steal", "refuse"],
];

function readHead(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n\r\n")) done();
    };
    const done = () => {
      socket.off("data", onData);
      resolve(text);
    };
    socket.on("data", onData);
    socket.once("close", done);
    socket.once("error", done);
  });
}

function statusOf(head: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
}

describe("bypass corpus through the real proxy", { timeout: 30_000 }, () => {
  let inspected: Awaited<ReturnType<typeof startEgressHarness>>;
  let blind: Awaited<ReturnType<typeof startEgressHarness>>;

  beforeAll(async () => {
    inspected = await startEgressHarness({ flowsYaml: FLOWS });
    blind = await startEgressHarness({ flowsYaml: FLOWS });
    (blind.context.noInspect as Set<string>).add("*");
  });
  afterAll(async () => {
    await inspected.close();
    await blind.close();
  });

  async function raw(port: number, text: string): Promise<number> {
    const socket = connect(port, "127.0.0.1");
    socket.write(text);
    const head = await readHead(socket);
    socket.destroy();
    return statusOf(head);
  }

  function expectOutcome(
    status: number,
    expected: Expect,
    upstreamBefore: number,
    upstreamAfter: number,
  ) {
    if (expected === "pass") {
      expect(status).toBe(200);
      return;
    }
    if (expected === "deny") expect(status).toBe(403);
    else expect(status === 0 || (status >= 400 && status !== 403)).toBe(true);
    expect(upstreamAfter).toBe(upstreamBefore);
  }

  it.each(ABSOLUTE)("absolute-form %s → %s", async (url, expected) => {
    const before = inspected.upstream.requests.length;
    const status = await raw(
      inspected.proxy.port,
      `GET ${url} HTTP/1.1\r\nHost: ignored.example\r\nConnection: close\r\n\r\n`,
    );
    expectOutcome(status, expected, before, inspected.upstream.requests.length);
  });

  it.each(BLIND_CONNECT)("CONNECT %s without inspection → %s", async (authority, expected) => {
    const before = blind.upstream.requests.length;
    const status = await raw(
      blind.proxy.port,
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`,
    );
    expectOutcome(status, expected, before, blind.upstream.requests.length);
  });

  it.each(INSPECTED)(
    "CONNECT %s, SNI %s, Host %s, path %s → %s",
    async (authority, sni, host, path, expected) => {
      const before = inspected.upstream.requests.length;
      const socket = connect(inspected.proxy.port, "127.0.0.1");
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
      expect(statusOf(await readHead(socket))).toBe(200);
      const tls = tlsConnect({
        socket,
        servername: sni,
        ca: [inspected.context.ca?.certPem ?? ""],
        ALPNProtocols: ["http/1.1"],
      });
      const status = await new Promise<number>((resolve) => {
        tls.once("secureConnect", async () => {
          tls.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
          resolve(statusOf(await readHead(tls as unknown as Socket)));
        });
        tls.once("error", () => resolve(0));
      });
      tls.destroy();
      expectOutcome(status, expected, before, inspected.upstream.requests.length);
    },
  );

  it("an absolute-form request is sent to the URL's host, whatever its Host header says", async () => {
    const status = await raw(
      inspected.proxy.port,
      "GET http://slack.com/api/who HTTP/1.1\r\nHost: api.badactor.com\r\nConnection: close\r\n\r\n",
    );
    expect(status).toBe(200);
    expect(inspected.upstream.requests.at(-1)).toMatchObject({
      host: "slack.com",
      path: "/api/who",
    });
  });

  it("holds at least 60 cases", () => {
    expect(ABSOLUTE.length + BLIND_CONNECT.length + INSPECTED.length).toBeGreaterThanOrEqual(60);
  });
});
