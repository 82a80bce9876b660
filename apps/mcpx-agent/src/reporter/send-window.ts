import {
  MAX_EVENTS_PER_BATCH,
  MAX_FRAME_BYTES,
  MAX_IN_FLIGHT_BATCHES,
  type TWelcomeFrame,
} from "@lunar/shared";
import type pino from "pino";
import type { EventSpool } from "./event-spool";
import type { GatewaySession } from "./gateway-session";

/** Room left in a frame for `{"type":"events","seq":…,"events":[…]}` around the events. */
const FRAME_ENVELOPE_BYTES = 1_024;

/**
 * The batches sent on a connection and not yet acked (protocol v1's window of unacked batches),
 * filled from the spool. Events in the window are in flight in the spool: an ack deletes them
 * there, a refusal or a lost connection puts them back to be sent again.
 */
export class SendWindow {
  private limits = {
    maxEventsPerBatch: MAX_EVENTS_PER_BATCH,
    maxInFlightBatches: MAX_IN_FLIGHT_BATCHES,
    maxFrameBytes: MAX_FRAME_BYTES,
  };
  private seq = 0;
  /** Sent, not yet acked: seq → event ids. */
  private readonly batches = new Map<number, string[]>();
  private pumping = false;
  private pumpAgain = false;

  /**
   * @param connection the connection batches go out on, or null while there is none that the
   *   gateway welcomed; asked again after every await, so a batch never goes to a newer one.
   */
  constructor(
    private readonly spool: EventSpool,
    private readonly connection: () => GatewaySession | null,
    private readonly log: pino.Logger,
  ) {}

  /** Batches sent and not yet acked. */
  get size(): number {
    return this.batches.size;
  }

  /** A new connection's welcome: stay within both our limits and the gateway's. */
  useLimitsOf(welcome: TWelcomeFrame): void {
    this.limits = {
      maxEventsPerBatch: Math.min(MAX_EVENTS_PER_BATCH, welcome.limits.maxEventsPerBatch),
      maxInFlightBatches: Math.min(MAX_IN_FLIGHT_BATCHES, welcome.limits.maxInFlightBatches),
      maxFrameBytes: Math.min(MAX_FRAME_BYTES, welcome.limits.maxFrameBytes),
    };
  }

  /** The batch's event ids, now out of the window; undefined for a seq this window did not send. */
  acked(seq: number): string[] | undefined {
    const ids = this.batches.get(seq);
    this.batches.delete(seq);
    return ids;
  }

  /** The gateway refused the batch (stored nothing, will not ack): its events go back. */
  refused(seq: number): void {
    const ids = this.batches.get(seq);
    if (!ids) return;
    this.batches.delete(seq);
    this.spool.release(ids);
  }

  /** The connection is gone: everything in flight goes back, to be sent again. */
  releaseAll(): void {
    for (const ids of this.batches.values()) this.spool.release(ids);
    this.batches.clear();
  }

  /** Fills the window from the spool; concurrent calls coalesce into one more pass. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.fill()
      .catch((error) => this.log.warn({ err: error }, "could not send spooled events"))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    while (this.batches.size < this.limits.maxInFlightBatches) {
      const session = this.connection();
      if (session === null) return;
      // Each event in the spool is at most 64 KiB, and its JSON is sent exactly as spooled, so
      // a batch within this budget always fits in one frame.
      const events = await this.spool.take(
        this.limits.maxEventsPerBatch,
        this.limits.maxFrameBytes - FRAME_ENVELOPE_BYTES,
      );
      if (events.length === 0) return;
      const ids = events.map((event) => event.id);
      if (this.connection() !== session) {
        this.spool.release(ids);
        return;
      }
      const seq = this.seq++;
      this.batches.set(seq, ids);
      if (!session.send({ type: "events", seq, events })) {
        this.batches.delete(seq);
        this.spool.release(ids);
        return;
      }
    }
  }
}
