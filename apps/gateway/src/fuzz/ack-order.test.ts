// Regression tests: acks of one connection come in the order its batches were sent (docs/
// PROTOCOL.md, "ack"). Before c8a5c1d a batch with no valid event was acked at once, ahead of an
// earlier batch still being written, and batches written by concurrent transactions were acked
// in commit order.
import { MAX_EVENTS_PER_BATCH } from "@lunar/shared";
import { toolCall } from "@lunar/shared/testing";
import { describe, expect, it } from "vitest";
import { useGatewayUnderTest } from "./support/gateway-under-test";
import { RecordingAgent } from "./support/recording-agent";

describe("acks of a connection come in send order", { timeout: 30_000 }, () => {
  const t = useGatewayUnderTest(["ordered"], { viaProxy: true });

  async function readyAgent(): Promise<RecordingAgent> {
    const agent = await RecordingAgent.connect(t.gateway.port, t.orgs[0]?.apiKey ?? "");
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId: crypto.randomUUID(),
      name: "ordered",
      version: "1",
      servers: [],
      flowsVersion: null,
    });
    await t.explained(agent.until(() => agent.frameOf("flows"), "the flows snapshot"));
    return agent;
  }

  const ackedSeqs = async (agent: RecordingAgent, count: number) => {
    await t.explained(
      agent.until(() => (agent.acks().length >= count ? true : undefined), `${count} acks`),
    );
    return agent.acks().map((ack) => ack.seq);
  };

  it("a batch with no valid event waits for the ack of a valid batch still being written", async () => {
    const agent = await readyAgent();
    // Postgres stalls: batch 1 cannot commit until it resumes.
    t.proxy.pause();
    agent.sendJson({ type: "events", seq: 1, events: [toolCall()] });
    agent.sendJson({ type: "events", seq: 2, events: [{ type: "tool_call" }] });
    // Frames are read in order: the pong proves the gateway has read both batches.
    agent.sendJson({ type: "ping", ts: 1 });
    await t.explained(agent.until(() => agent.frameOf("pong"), "the pong"));
    const early = agent.acks().map((ack) => ack.seq);
    t.proxy.resume();
    expect(early, "acks sent while batch 1 could not commit").toEqual([]);
    expect(await ackedSeqs(agent, 2)).toEqual([1, 2]);
    expect(agent.acks()[1]).toMatchObject({ stored: 0, rejected: [{ index: 0 }] });
    agent.close();
    await t.expectServing();
  });

  it("a small batch committed before a large one sent earlier is acked after it", async () => {
    const agent = await readyAgent();
    const big = Array.from({ length: MAX_EVENTS_PER_BATCH }, () => toolCall());
    const batches = [
      big,
      [toolCall()],
      [{ bad: true }],
      big,
      [toolCall()],
      [toolCall(), { bad: 1 }],
    ];
    batches.forEach((events, index) => {
      agent.sendJson({ type: "events", seq: index + 1, events });
    });
    expect(await ackedSeqs(agent, batches.length)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(agent.acks()[3]).toMatchObject({ stored: 0, duplicates: MAX_EVENTS_PER_BATCH });
    agent.close();
    await t.expectServing();
  });
});
