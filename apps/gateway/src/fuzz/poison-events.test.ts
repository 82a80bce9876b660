// Regression tests for events that pass validation but failed inside the ingest transaction
// before c8a5c1d: the transaction was retried without end, so no org's batch was acked again.
// Now such text is stored repaired (U+FFFD for the bad code unit), argumentBytes saturated,
// and an event Postgres still refuses becomes a dead letter acked as rejected.
import type { TAgentEvent } from "@lunar/shared";
import { httpCall, toolCall } from "@lunar/shared/testing";
import { describe, expect, it } from "vitest";
import { TestAgent } from "../testing/test-agent";
import { useGatewayUnderTest } from "./support/gateway-under-test";

const COLUMNS: Record<string, string> = {
  server: "server",
  correlationId: "correlation_id",
  tool: "tool",
  errorType: "error_type",
  argumentBytes: "argument_bytes",
  host: "host",
  path: "path",
  rule: "rule",
  networkError: "network_error",
};

/** An event the database refuses whatever the gateway does (see the CHECK in beforeAll). */
const REFUSED_SERVER = "refused-by-the-database";

describe("events the database cannot take as sent: repaired, or dead letters; nothing blocks", {
  timeout: 30_000,
}, () => {
  const t = useGatewayUnderTest(["poisoner"]);
  let seq = 0;

  /** Sends [good, event, good] from the poisoning org; resolves with its ack. */
  async function sendAmongGood(agent: TestAgent, event: TAgentEvent) {
    const batch = [toolCall(), event, httpCall()];
    agent.sendEvents(++seq, batch);
    return { ack: await t.explained(agent.next("ack", 5_000)), batch };
  }

  /** Both, and if either fails, what each did: one org's batch and another org's canary. */
  async function both<T>(own: Promise<T>, other: Promise<void>): Promise<T> {
    const [mine, theirs] = await Promise.allSettled([own, other]);
    if (mine.status === "fulfilled" && theirs.status === "fulfilled") return mine.value;
    const say = (result: PromiseSettledResult<unknown>) =>
      result.status === "fulfilled" ? "acked" : (result.reason as Error).message.split("\n")[0];
    throw new Error(`this org's batch: ${say(mine)}; another org: ${say(theirs)}`);
  }

  const row = async (eventId: string) =>
    (
      await t.pool.query("SELECT * FROM events WHERE org_id = $1 AND event_id = $2", [
        t.orgs[0]?.orgId,
        eventId,
      ])
    ).rows;

  it.each<[string, TAgentEvent, string, unknown]>([
    ["a NUL in a tool call's server", toolCall({ server: "sl\u0000ck" }), "server", "sl\uFFFDck"],
    ["a NUL in tool", toolCall({ tool: "post\u0000" }), "tool", "post\uFFFD"],
    ["a NUL in errorType", toolCall({ errorType: "\u0000" }), "errorType", "\uFFFD"],
    ["a NUL in correlationId", toolCall({ correlationId: "c\u0000" }), "correlationId", "c\uFFFD"],
    ["a NUL in an http call's server", httpCall({ server: "\u0000s" }), "server", "\uFFFDs"],
    [
      "a NUL in an http call's correlationId",
      httpCall({ correlationId: "\u0000" }),
      "correlationId",
      "\uFFFD",
    ],
    ["a NUL in host", httpCall({ host: "ex\u0000ample.com" }), "host", "ex\uFFFDample.com"],
    ["a NUL in path", httpCall({ path: "/a\u0000b" }), "path", "/a\uFFFDb"],
    ["a NUL in rule", httpCall({ rule: "org:\u0000" }), "rule", "org:\uFFFD"],
    ["a NUL in networkError", httpCall({ networkError: "\u0000" }), "networkError", "\uFFFD"],
    ["a lone surrogate in server", toolCall({ server: "s\ud800" }), "server", "s\uFFFD"],
    ["a lone surrogate in tool", toolCall({ tool: "\udc00t" }), "tool", "\uFFFDt"],
    ["a lone surrogate in host", httpCall({ host: "h\ud800.com" }), "host", "h\uFFFD.com"],
    ["a lone surrogate in path", httpCall({ path: "/\udfff" }), "path", "/\uFFFD"],
    ["argumentBytes of 2^31", toolCall({ argumentBytes: 2 ** 31 }), "argumentBytes", 2147483647],
    [
      "argumentBytes of 2^53 - 1",
      toolCall({ argumentBytes: 2 ** 53 - 1 }),
      "argumentBytes",
      2147483647,
    ],
  ])(
    "an event with %s is stored repaired, and another org is acked meanwhile",
    async (_label, event, field, stored) => {
      const agent = await TestAgent.ready(t.gateway.port, t.orgs[0]?.apiKey ?? "");
      const { ack } = await both(sendAmongGood(agent, event), t.expectServing());
      expect(ack).toMatchObject({ stored: 3, duplicates: 0, rejected: [] });
      const rows = await row(event.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.[COLUMNS[field] as string]).toBe(stored);
      agent.close();
    },
  );

  describe("an event the database refuses after repair", () => {
    it("is a dead letter acked as rejected; the rest of its batch is stored, other orgs go on", async () => {
      // Fault injection in this test's own database: Postgres refuses one kind of row.
      await t.pool.query(
        `ALTER TABLE events ADD CONSTRAINT fuzz_refuse_one_server CHECK (server <> '${REFUSED_SERVER}')`,
      );
      try {
        const agent = await TestAgent.ready(t.gateway.port, t.orgs[0]?.apiKey ?? "");
        const refused = toolCall({ server: REFUSED_SERVER });
        const { ack, batch } = await both(sendAmongGood(agent, refused), t.expectServing());
        expect(ack).toMatchObject({ stored: 2, duplicates: 0 });
        expect(ack.rejected).toEqual([
          {
            index: 1,
            id: refused.id,
            reason: expect.stringMatching(/^not storable:.*fuzz_refuse_one_server/),
          },
        ]);
        for (const event of batch)
          expect(await row(event.id)).toHaveLength(event === refused ? 0 : 1);
        const { rows: letters } = await t.pool.query(
          "SELECT org_id, agent_id, event_id, kind, reason, payload FROM dead_letter_events WHERE event_id = $1",
          [refused.id],
        );
        expect(letters).toEqual([
          {
            org_id: t.orgs[0]?.orgId,
            agent_id: agent.agentId,
            event_id: refused.id,
            kind: "tool_call",
            reason: expect.stringContaining("fuzz_refuse_one_server"),
            payload: expect.any(String),
          },
        ]);
        expect(JSON.parse(letters[0].payload)).toEqual(refused);
        // The write path is not stuck behind it: the next batch is acked as usual.
        const { ack: next } = await sendAmongGood(agent, toolCall());
        expect(next).toMatchObject({ stored: 3, rejected: [] });
        agent.close();
      } finally {
        await t.pool.query("ALTER TABLE events DROP CONSTRAINT fuzz_refuse_one_server");
      }
    });
  });
});
