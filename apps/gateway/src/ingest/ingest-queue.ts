import type { IngestItem, IngestItemResult, IngestOutcome } from "@lunar/db/postgres";
import type pino from "pino";
import type { GatewayMetrics } from "../metrics";

interface Job {
  item: IngestItem;
  resolve: (result: IngestItemResult) => void;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * The gateway's one write path: batches from every connection queue here and are written
 * several per transaction, by up to `concurrency` transactions at once (so Postgres stages one
 * while it commits another). A failed transaction (Postgres gone) is retried
 * with backoff, never dropped; acks wait for the commit. `isFull` tells connections to stop
 * reading, so memory is bounded by the queue limit instead of by what agents send.
 */
export class IngestQueue {
  private readonly jobs: Job[] = [];
  private queued = 0;
  private writers = 0;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (items: IngestItem[]) => Promise<IngestOutcome>,
    private readonly options: {
      /** Transactions in flight at once: one stages while another commits. */
      concurrency: number;
      maxQueuedEvents: number;
      maxEventsPerTransaction: number;
      log: pino.Logger;
      metrics: GatewayMetrics;
      onNewHosts?: (hosts: IngestOutcome["newHosts"]) => void;
    },
  ) {}

  get queuedEvents(): number {
    return this.queued;
  }

  get isFull(): boolean {
    return this.queued >= this.options.maxQueuedEvents;
  }

  /** Resolves once the queue is below half full again. */
  whenSpace(): Promise<void> {
    if (this.queued < this.options.maxQueuedEvents / 2) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  enqueue(item: IngestItem): Promise<IngestItemResult> {
    return new Promise((resolve) => {
      this.jobs.push({ item, resolve });
      this.queued += item.events.length;
      this.options.metrics.queueDepth.set(this.queued);
      void this.run();
    });
  }

  /** Resolves when everything queued so far is committed (SIGTERM drain). */
  drained(): Promise<void> {
    if (this.writers === 0 && this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    if (this.writers >= this.options.concurrency) return;
    this.writers++;
    let backoff = MIN_BACKOFF_MS;
    while (this.jobs.length > 0) {
      const batch = this.takeBatch();
      // Taken off the queue while in flight; put back at the front if the write fails.
      this.jobs.splice(0, batch.length);
      if (this.jobs.length > 0) void this.run();
      const stop = this.options.metrics.batchCommitSeconds.startTimer();
      try {
        const outcome = await this.write(batch.map((job) => job.item));
        stop();
        backoff = MIN_BACKOFF_MS;
        this.settle(batch, outcome);
      } catch (error) {
        this.jobs.unshift(...batch);
        this.options.metrics.writeFailures.inc();
        this.options.log.warn(
          { err: error, retryInMs: backoff },
          "ingest transaction failed; retrying",
        );
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    this.writers--;
    if (this.writers === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** The oldest jobs up to the per-transaction limit (at least one, whatever its size). */
  private takeBatch(): Job[] {
    const batch: Job[] = [];
    let events = 0;
    for (const job of this.jobs) {
      if (
        batch.length > 0 &&
        events + job.item.events.length > this.options.maxEventsPerTransaction
      )
        break;
      batch.push(job);
      events += job.item.events.length;
    }
    return batch;
  }

  private settle(batch: Job[], outcome: IngestOutcome): void {
    batch.forEach((job, index) => {
      const result = outcome.results[index] as IngestItemResult;
      this.queued -= job.item.events.length;
      this.options.metrics.eventsStored.inc(result.stored);
      this.options.metrics.eventsDuplicate.inc(result.duplicates);
      job.resolve(result);
    });
    this.options.metrics.queueDepth.set(this.queued);
    if (outcome.newHosts.length > 0) this.options.onNewHosts?.(outcome.newHosts);
    if (this.queued < this.options.maxQueuedEvents / 2) {
      for (const resolve of this.spaceWaiters.splice(0)) resolve();
    }
  }
}
