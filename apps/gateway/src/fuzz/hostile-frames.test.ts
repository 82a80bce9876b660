// Regression tests for frames that ended the gateway process (or closed with an undocumented
// code) before the fault boundaries of c8a5c1d, each with the exact input that did it. The
// gateway runs as its own process: "it is still serving" must mean the process is alive.
import { type THelloFrame, toStorableServers, toStorableText } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { nested } from "./arbitraries/json-text";
import { DOCUMENTED_CLOSE_CODES } from "./support/close-codes";
import { useGatewayUnderTest } from "./support/gateway-under-test";
import { RecordingAgent } from "./support/recording-agent";

describe("hostile frames: answered or closed with a documented code, and the gateway serves on", {
  timeout: 30_000,
}, () => {
  const t = useGatewayUnderTest(["hostile"]);
  const apiKey = () => t.orgs[0]?.apiKey ?? "";

  const answer = <T>(agent: RecordingAgent, find: () => T | undefined, what: string) =>
    t.explained(agent.until(find, what));

  async function welcomed(hello: Partial<THelloFrame>) {
    const agent = await RecordingAgent.connect(t.gateway.port, apiKey());
    const agentId = crypto.randomUUID();
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId,
      name: "alice-laptop",
      version: "0.3.0",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: null,
      ...hello,
    });
    const welcome = await answer(agent, () => agent.frameOf("welcome"), "the welcome");
    return { agent, agentId, welcome };
  }

  const agentRow = async (agentId: string) =>
    (
      await t.pool.query<{
        name: string;
        version: string;
        servers: unknown;
        connection_id: string;
      }>("SELECT name, version, servers, connection_id FROM agents WHERE org_id = $1 AND id = $2", [
        t.orgs[0]?.orgId,
        agentId,
      ])
    ).rows[0];

  it.each([
    ["5,000 nested arrays (the 10 KB frame that crashed it)", nested(5_000, "array")],
    ["100,000 nested arrays", nested(100_000, "array")],
    ["100,000 nested objects", nested(100_000, "object")],
  ])("a frame whose type is %s, before hello, gets unknown_frame_type", async (_label, deep) => {
    const agent = await RecordingAgent.connect(t.gateway.port, apiKey());
    agent.send(`{"type":${deep}}`);
    const error = await answer(agent, () => agent.frameOf("error"), "an error frame");
    expect(error).toMatchObject({ code: "unknown_frame_type", seq: null });
    expect(error.message.length).toBeLessThanOrEqual(500);
    // The connection goes on: a hello is still welcomed.
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId: crypto.randomUUID(),
      name: "after-deep",
      version: "1",
      servers: [],
      flowsVersion: null,
    });
    await answer(agent, () => agent.frameOf("welcome"), "the welcome");
    agent.close();
    await t.expectServing();
  });

  it.each<[string, Partial<THelloFrame>]>([
    ["a NUL in name", { name: "alice\u0000laptop" }],
    ["a NUL in version", { version: "0.3.0\u0000" }],
    ["a NUL in a server name", { servers: [{ name: "sl\u0000ck", transport: "stdio" }] }],
    [
      "a lone surrogate in a server name",
      { servers: [{ name: "sl\ud800ck", transport: "stdio" }] },
    ],
  ])("a hello with %s is welcomed and stored with U+FFFD in its place", async (_label, hello) => {
    const { agent, agentId, welcome } = await welcomed(hello);
    const sent: Pick<THelloFrame, "name" | "version" | "servers"> = {
      name: "alice-laptop",
      version: "0.3.0",
      servers: [{ name: "slack", transport: "stdio" }],
      ...hello,
    };
    expect(await agentRow(agentId)).toEqual({
      name: toStorableText(sent.name),
      version: toStorableText(sent.version),
      servers: toStorableServers(sent.servers),
      connection_id: welcome.connectionId,
    });
    expect(JSON.stringify(await agentRow(agentId))).toContain("\uFFFD");
    agent.close();
    await t.expectServing();
  });

  it.each([
    ["a NUL", "sl\u0000ck"],
    ["a lone surrogate", "sl\ud800ck"],
  ])("a servers frame with %s in a server name is stored repaired", async (_label, name) => {
    const { agent, agentId } = await welcomed({});
    const servers = [{ name, transport: "http" as const }];
    agent.sendJson({ type: "servers", servers });
    // No reply to servers: the row shows it (or the gateway's state says why it never will).
    await t.explained(
      expect
        .poll(async () => (await agentRow(agentId))?.servers, { timeout: 5_000 })
        .toEqual([{ name: "sl\ufffdck", transport: "http" }]),
    );
    agent.sendJson({ type: "ping", ts: 7 });
    await answer(agent, () => agent.frameOf("pong"), "a pong");
    agent.close();
    await t.expectServing();
  });

  it.each([
    ["before hello", false],
    ["after hello", true],
  ])(
    "a text frame that is not valid UTF-8, %s, closes with a documented code (1007)",
    async (_label, hello) => {
      const agent = hello
        ? (await welcomed({})).agent
        : await RecordingAgent.connect(t.gateway.port, apiKey());
      agent.send(
        Buffer.from([...Buffer.from('{"type":"ping","ts":1,"x":"'), 0xff, ...Buffer.from('"}')]),
      );
      const closed = await agent.closedWithin(5_000);
      expect(closed.code).toBe(1007);
      expect(DOCUMENTED_CLOSE_CODES).toContain(closed.code);
      await t.expectServing();
    },
  );
});
