import type { TAgentEvent } from "@lunar/shared";
import pino from "pino";
import type { EventSink } from "../reporter/event-sink";

/**
 * Without LUNAR_GATEWAY_URL and LUNAR_API_KEY the agent still records every call: to its log,
 * on stderr (with the stdio front end, stdout is the MCP channel itself).
 */
export class LocalEventLog implements EventSink {
  constructor(
    private readonly log: pino.Logger = pino(
      { name: "mcpx-agent" },
      pino.destination({ fd: 2, sync: false }),
    ),
  ) {}

  record(event: TAgentEvent): void {
    this.log.info({ event }, event.type === "tool_call" ? "tool call" : "outbound call");
  }
}
