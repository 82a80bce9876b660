import type { TAgentEvent } from "@lunar/shared";

/** Where the agent's events go: the gateway reporter (through its spool), or a local log. */
export interface EventSink {
  /** Never throws and never blocks the call that produced the event. */
  record(event: TAgentEvent): void;
}
