import { isDeepStrictEqual } from "node:util";
import { ZAgentEvent } from "@lunar/shared";
import type pg from "pg";
import { undocumentedClose } from "./close-codes";
import type { SessionRecord } from "./run-session";
import {
  deadLetterIds,
  expectedColumns,
  isUuid,
  type StoredColumns,
  storedCopies,
} from "./stored-events";

interface OrgExpectations {
  /** Ids acked as stored or duplicate: exactly one row each. */
  kept: Set<string>;
  /** Ids acked as rejected: no row (unless the same id was also kept). */
  rejected: Set<string>;
  /** Valid events acked as rejected: each must be a dead letter. */
  deadLetters: Set<string>;
  /** Valid kept events: their row holds their storable text. */
  columns: Map<string, StoredColumns>;
}

/**
 * Everything the protocol promises about what the sessions got back, checked against what they
 * sent and what Postgres holds. Returns the broken promises (empty: all kept).
 */
export async function checkSessions(
  pool: pg.Pool,
  orgIds: readonly [string, string],
  sessions: SessionRecord[],
): Promise<string[]> {
  const problems: string[] = [];
  const orgs = orgIds.map(
    (): OrgExpectations => ({
      kept: new Set(),
      rejected: new Set(),
      deadLetters: new Set(),
      columns: new Map(),
    }),
  );
  sessions.forEach(({ spec, agent, expected }, index) => {
    const say = (problem: string) =>
      problems.push(`connection ${index} (org ${spec.org}): ${problem}`);
    const close = undocumentedClose(agent.closed);
    if (close) say(close);
    if (agent.garbage.length > 0) say(`the gateway sent non-JSON frames: ${agent.garbage[0]}`);
    for (const frame of agent.frames)
      if (frame.type === "error" && frame.message.length > 500)
        say(`an error message of ${frame.message.length} characters (the limit is 500)`);
    const acks = agent.acks();
    const sent = expected.map((batch) => batch.seq);
    const acked = acks.map((ack) => ack.seq);
    // By ===: a seq sent as -0 is acked as 0.
    if (acked.length > sent.length || acked.some((seq, i) => seq !== sent[i])) {
      say(`acks came for seqs [${acked}], batches were sent as [${sent}]`);
      return;
    }
    if ((agent.closed === null || agent.closed.byUs) && acks.length < expected.length) {
      say(`${acks.length} of ${expected.length} batches acked on an open connection`);
    }
    const org = orgs[spec.org] as OrgExpectations;
    acks.forEach((ack, position) => {
      const events = (expected[position] as (typeof expected)[number]).events;
      const where = `ack of seq ${ack.seq}`;
      const refused = new Map(ack.rejected.map((r) => [r.index, r]));
      if (refused.size !== ack.rejected.length) say(`${where} names an index twice`);
      if (ack.stored + ack.duplicates + ack.rejected.length !== events.length)
        say(
          `${where} accounts for ${ack.stored}+${ack.duplicates}+${ack.rejected.length} of ${events.length} events`,
        );
      events.forEach((raw, i) => {
        const parsed = ZAgentEvent.safeParse(raw);
        const id = (raw as { id?: unknown } | null)?.id;
        const rejection = refused.get(i);
        if (!parsed.success) {
          if (!rejection) say(`${where}: event ${i} is invalid but was not rejected`);
          else if (isUuid(id)) org.rejected.add(id.toLowerCase());
          return;
        }
        const eventId = parsed.data.id.toLowerCase();
        if (rejection) {
          // A valid event is refused only when Postgres refused it: then it is a dead letter.
          if (!rejection.reason.startsWith("not storable:"))
            say(`${where}: valid event ${i} rejected with "${rejection.reason}"`);
          org.rejected.add(eventId);
          org.deadLetters.add(eventId);
          return;
        }
        org.kept.add(eventId);
        org.columns.set(eventId, expectedColumns(parsed.data));
      });
    });
  });
  for (const [index, org] of orgs.entries()) {
    const orgId = orgIds[index] as string;
    const copies = await storedCopies(pool, orgId, [...org.kept, ...org.rejected]);
    for (const id of org.kept) {
      const rows = copies.get(id) ?? [];
      if (rows.length !== 1) {
        problems.push(`org ${index}: event ${id} acked as stored has ${rows.length} rows`);
        continue;
      }
      const want = org.columns.get(id);
      if (want && !isDeepStrictEqual(rows[0], want))
        problems.push(
          `org ${index}: event ${id} is stored as ${JSON.stringify(rows[0])}, expected ${JSON.stringify(want)}`,
        );
    }
    for (const id of org.rejected)
      if (!org.kept.has(id) && copies.has(id))
        problems.push(`org ${index}: event ${id} acked as rejected is stored`);
    const letters = await deadLetterIds(pool, orgId, [...org.deadLetters]);
    for (const id of org.deadLetters)
      if (!letters.has(id))
        problems.push(`org ${index}: valid event ${id} was rejected but is not a dead letter`);
  }
  return problems;
}
