import type { TAgentEvent } from "@lunar/shared";

/** Where the agent's events go: the gateway reporter's spool, or a local log without a gateway. */
export interface EventSink {
  record(event: TAgentEvent): void;
}
