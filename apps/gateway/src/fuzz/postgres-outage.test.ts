// Postgres going away (cut by a loopback proxy between the gateway and Postgres: connections
// reset, new ones refused) while agents are mid-stream and mid-handshake. It must cost only
// delay: the process lives, every batch is acked once Postgres is back, and every event is
// stored exactly once. Before c8a5c1d a hello or servers frame during the outage ended the
// process (an unhandled rejection).
import { toolCall } from "@lunar/shared/testing";
import { describe, expect, it } from "vitest";
import { DOCUMENTED_CLOSE_CODES } from "./support/close-codes";
import { useGatewayUnderTest } from "./support/gateway-under-test";
import { RecordingAgent } from "./support/recording-agent";

const BATCHES = 20;
const EVENTS_PER_BATCH = 100;

describe("Postgres going away and coming back", { timeout: 60_000 }, () => {
  const t = useGatewayUnderTest(["org-a", "org-b"], { viaProxy: true });

  const hello = (name = "outage") => ({
    type: "hello",
    protocols: [1],
    agentId: crypto.randomUUID(),
    name,
    version: "1",
    servers: [{ name: "slack", transport: "stdio" }],
    flowsVersion: null,
  });

  async function readyAgent(org: number): Promise<RecordingAgent> {
    const agent = await RecordingAgent.connect(t.gateway.port, t.orgs[org]?.apiKey ?? "");
    agent.sendJson(hello());
    await t.explained(agent.until(() => agent.frameOf("flows"), "the flows snapshot"));
    return agent;
  }

  /** Waits until Postgres's absence has been noticed by the ingest (a failed transaction). */
  async function ingestSawOutage(failuresBefore: number): Promise<void> {
    await t.explained(
      expect
        .poll(() => t.gateway.metric("lunar_gateway_write_failures_total"), { timeout: 10_000 })
        .toBeGreaterThan(failuresBefore),
    );
  }

  it("costs only delay mid-ingest: every batch acked after it returns, each event stored once", async () => {
    const agents = [await readyAgent(0), await readyAgent(1)] as const;
    const sent = agents.map(() => [] as ReturnType<typeof toolCall>[][]);
    const send = (index: number) => {
      const events = Array.from({ length: EVENTS_PER_BATCH }, () => toolCall());
      sent[index]?.push(events);
      agents[index as 0 | 1].sendJson({ type: "events", seq: sent[index]?.length, events });
    };
    for (let i = 0; i < BATCHES; i++) for (const index of [0, 1]) send(index);
    const failuresBefore = await t.gateway.metric("lunar_gateway_write_failures_total");
    // Mid-stream: some batches are acked, the rest queued or being written.
    await t.explained(agents[0].until(() => agents[0].frameOf("ack"), "a first ack"));
    t.proxy.refuse();
    for (const index of [0, 1]) send(index);
    await ingestSawOutage(failuresBefore);
    expect((await t.gateway.get("/healthz")).status).toBe(200);
    expect((await t.gateway.get("/readyz")).status).toBe(503);
    t.proxy.accept();

    for (const [index, agent] of agents.entries()) {
      const batches = sent[index] ?? [];
      await t.explained(
        agent.until(
          () => (agent.acks().length >= batches.length ? true : undefined),
          `${batches.length} acks`,
          30_000,
        ),
      );
      const acks = agent.acks();
      // As text: a diff of two arrays of 21 numbers prints as "Array(21)".
      expect(acks.map((ack) => ack.seq).join(" ")).toBe(batches.map((_, i) => i + 1).join(" "));
      for (const ack of acks) {
        expect(ack.rejected).toEqual([]);
        expect(ack.stored + ack.duplicates).toBe(EVENTS_PER_BATCH);
      }
      const ids = batches.flat().map((event) => event.id);
      const { rows } = await t.pool.query<{ total: string; distinct: string }>(
        `SELECT count(*) AS total, count(DISTINCT event_id) AS distinct FROM events
         WHERE org_id = $1 AND event_id = ANY($2::uuid[])`,
        [t.orgs[index]?.orgId, ids],
      );
      expect(rows[0]).toEqual({ total: String(ids.length), distinct: String(ids.length) });
      agent.close();
    }
    await t.expectServing();
  });

  it("a hello, a servers frame and other frames during the outage leave the process serving", async () => {
    const welcomed = await readyAgent(0);
    // Upgraded (the key checked) before the outage; its hello comes during it.
    const late = await RecordingAgent.connect(t.gateway.port, t.orgs[1]?.apiKey ?? "");
    t.proxy.refuse();
    welcomed.sendJson({ type: "servers", servers: [{ name: "github", transport: "http" }] });
    welcomed.sendJson({ type: "flows_applied", version: 3 });
    welcomed.sendJson({ type: "spool_dropped", count: 5 });
    welcomed.sendJson({ type: "events", seq: 1, events: [toolCall()] });
    late.sendJson(hello("late"));
    // The hello cannot be recorded: the connection is closed (1011), or welcomed after all.
    const outcome = await t.explained(
      late.until(() => late.closed ?? late.frameOf("welcome"), "the hello's outcome", 10_000),
    );
    // A close with 1006 would be the process dying: say that first.
    await t.gateway.expectServing();
    if ("code" in outcome) expect(DOCUMENTED_CLOSE_CODES).toContain(outcome.code);
    // The servers update failed too: the connection answers, or was closed with a documented code.
    welcomed.sendJson({ type: "ping", ts: 1 });
    const answer = await t.explained(
      welcomed.until(() => welcomed.closed ?? welcomed.frameOf("pong"), "a pong or the close"),
    );
    await t.gateway.expectServing();
    if ("code" in answer) expect(DOCUMENTED_CLOSE_CODES).toContain(answer.code);

    t.proxy.accept();
    // Back: the batch sent during the outage is acked (if its connection lived), new agents
    // are welcomed and acked, and another org is acked within 5 s.
    if (!welcomed.closed) {
      await t.explained(welcomed.until(() => welcomed.frameOf("ack"), "the ack", 30_000));
    }
    const again = await readyAgent(1);
    again.sendJson({ type: "events", seq: 1, events: [toolCall()] });
    expect(await again.until(() => again.frameOf("ack"), "the ack", 15_000)).toMatchObject({
      stored: 1,
    });
    for (const agent of [welcomed, late, again]) agent.close();
    await t.expectServing();
  });
});
