import { Writable } from "node:stream";
import { blockedCall, toolCall } from "@lunar/shared/testing";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LocalEventLog } from "./local-event-log";

describe("local event log (no gateway configured)", () => {
  it("logs every event with its fields to the logger it is given", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = new LocalEventLog(pino({ level: "info" }, sink));
    const call = toolCall();
    const blocked = blockedCall();
    log.record(call);
    log.record(blocked);
    expect(lines).toMatchObject([
      { msg: "tool call", event: call },
      { msg: "outbound call", event: blocked },
    ]);
  });
});
