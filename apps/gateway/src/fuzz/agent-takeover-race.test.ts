// Regression test: when many connections race with one agentId, the agent's row names the
// connection left open. Before c8a5c1d the hellos' upserts and the replaced connections'
// disconnects reached Postgres in any order, so agents.connection_id could name a closed one.
import { CLOSE_CODES } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { useGatewayUnderTest } from "./support/gateway-under-test";
import { RecordingAgent } from "./support/recording-agent";

const RACERS = 50;
const ROUNDS = 3;

describe("connections racing with one agentId", { timeout: 60_000 }, () => {
  const t = useGatewayUnderTest(["racing"]);

  const connectionIdOf = async (agentId: string) =>
    (
      await t.pool.query<{ connection_id: string | null }>(
        "SELECT connection_id FROM agents WHERE org_id = $1 AND id = $2",
        [t.orgs[0]?.orgId, agentId],
      )
    ).rows[0]?.connection_id;

  it(`leave the row naming the one connection left open (${RACERS} at once, ${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const agentId = crypto.randomUUID();
      const racers = await Promise.all(
        Array.from({ length: RACERS }, () =>
          RecordingAgent.connect(t.gateway.port, t.orgs[0]?.apiKey ?? ""),
        ),
      );
      // Every socket is upgraded first, so the hellos themselves race.
      for (const racer of racers) {
        racer.sendJson({
          type: "hello",
          protocols: [1],
          agentId,
          name: "racer",
          version: "1",
          servers: [],
          flowsVersion: null,
        });
      }
      // Each newer hello replaces the connection before it: one is left.
      await t.explained(
        expect
          .poll(() => racers.filter((racer) => racer.closed).length, { timeout: 10_000 })
          .toBe(RACERS - 1),
      );
      const closes = racers.flatMap((racer) => (racer.closed ? [racer.closed.code] : []));
      expect(new Set(closes)).toEqual(new Set([CLOSE_CODES.replaced]));
      const survivor = racers.find((racer) => !racer.closed) as RecordingAgent;
      const welcome = await survivor.until(() => survivor.frameOf("welcome"), "the welcome");
      await expect
        .poll(() => connectionIdOf(agentId), { timeout: 5_000 })
        .toBe(welcome.connectionId);

      survivor.close();
      await expect.poll(() => connectionIdOf(agentId), { timeout: 5_000 }).toBeNull();
    }
    await t.expectServing();
  });
});
