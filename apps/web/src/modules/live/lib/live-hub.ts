import { findBatchEvents } from "@lunar/db";
import { EVENTS_CHANNEL, PgListener, type TBatchNotice } from "@lunar/db/listen";
import { matchesLiveFilter, type TLiveEvent, type TLiveFilter } from "@lunar/shared";
import { env } from "@/env";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";

export interface LiveSubscriber {
  orgId: string;
  filter: TLiveFilter;
  /** Hands over matching events; a reader that stopped reading unsubscribes itself. */
  send(events: TLiveEvent[]): void;
}

/**
 * One LISTEN connection per web process, shared by every live-log browser it serves. A batch
 * notice from any gateway is looked up once (only when someone in that org is watching) and
 * handed to each matching subscriber. A subscriber that stops reading is cut off by its stream
 * (live-stream.ts): live logs never slow ingest, which only ever sees a NOTIFY.
 */
class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();
  private listening: Promise<void> | undefined;

  async subscribe(subscriber: LiveSubscriber): Promise<() => void> {
    this.listening ??= new PgListener(
      env().DATABASE_URL,
      { [EVENTS_CHANNEL]: (payload) => void this.onBatch(payload) },
      logger(),
    ).start();
    await this.listening;
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private async onBatch(payload: string): Promise<void> {
    let notice: TBatchNotice;
    try {
      notice = JSON.parse(payload) as TBatchNotice;
    } catch {
      return;
    }
    const watching = [...this.subscribers].filter((s) => s.orgId === notice.orgId);
    if (watching.length === 0) return;
    try {
      const events = await findBatchEvents(db(), notice);
      for (const subscriber of watching) {
        const matching = events.filter((event) => matchesLiveFilter(event, subscriber.filter));
        if (matching.length > 0) subscriber.send(matching);
      }
    } catch (error) {
      logger().warn({ err: error, batchId: notice.batchId }, "could not load a live batch");
    }
  }
}

const holder = globalThis as unknown as { __lunarLiveHub?: LiveHub };

export function liveHub(): LiveHub {
  holder.__lunarLiveHub ??= new LiveHub();
  return holder.__lunarLiveHub;
}
