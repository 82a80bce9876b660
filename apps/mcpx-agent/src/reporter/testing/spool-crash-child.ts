// A process that appends to, takes from and acks a spool as fast as it can, printing what the
// spool confirmed, until the test kills it with SIGKILL. Usage: spool-crash-child.ts <dir>
import { setImmediate as nextTick } from "node:timers/promises";
import { toolCall } from "@lunar/shared/testing";
import { EventSpool } from "../event-spool";

const dir = process.argv[2];
if (!dir) throw new Error("usage: spool-crash-child.ts <dir>");
const spool = await EventSpool.open({ dir, maxBytes: 512 * 1024 * 1024, segmentBytes: 8_000 });
// stdout is a pipe: writes are synchronous on Linux, so a printed line outlives a SIGKILL.
process.stdout.write("ready\n");
for (let round = 0; ; round++) {
  const events = Array.from({ length: 1 + (round % 7) }, () => toolCall());
  void spool
    .append(events)
    .then(() => process.stdout.write(`appended ${events.map((e) => e.id).join(",")}\n`));
  if (round % 3 === 0) {
    const taken = await spool.take(5);
    const ids = taken.map((event) => event.id);
    if (round % 2 === 0) {
      await spool.ack(ids);
      if (ids.length > 0) process.stdout.write(`acked ${ids.join(",")}\n`);
    }
    // Otherwise they stay in flight, unacked, when the kill comes.
  }
  await nextTick();
}
