import type { TAgentEvent } from "@lunar/shared";
import type pino from "pino";
import type { EventSink } from "./aggregator/event-sink";

/** Without a gateway the agent still records every call: to its log (stderr). */
export class LocalEventLog implements EventSink {
  constructor(private readonly log: pino.Logger) {}

  record(event: TAgentEvent): void {
    this.log.info({ event }, event.type === "tool_call" ? "tool call" : "outbound call");
  }
}
