import {
  type DeadLetter,
  type IngestItem,
  type IngestOutcome,
  isMissingPartitionError,
  isTransientDatabaseError,
} from "@lunar/db/postgres";
import { nextBackoffMs } from "@lunar/shared";
import type pino from "pino";
import type { GatewayMetrics } from "../metrics";

import { FairJobQueue } from "./fair-job-queue";
import { type RefusedEvent, writeIsolating } from "./write-isolating";

export interface QueuedResult {
  stored: number;
  duplicates: number;
  /** Events the database refused, found alone and kept as dead letters: acked as rejected. */
  refused: RefusedEvent[];
}

interface Job {
  item: IngestItem;
  bytes: number;
  resolve: (result: QueuedResult) => void;
}

export interface IngestQueueOptions {
  /** Transactions in flight at once: one stages while another commits. */
  concurrency: number;
  maxQueuedEvents: number;
  /** Frame bytes queued at most: a bound on memory whatever the events' size. */
  maxQueuedBytes: number;
  maxEventsPerTransaction: number;
  log: pino.Logger;
  metrics: GatewayMetrics;
  onNewHosts?: (hosts: IngestOutcome["newHosts"]) => void;
  /** Creates missing event partitions (an event's day had none); the batch is then retried. */
  ensurePartitions?: () => Promise<void>;
}

/**
 * The gateway's one write path: batches from every connection queue here and are written
 * several per transaction, by up to `concurrency` transactions at once (so Postgres stages one
 * while it commits another). A transaction that fails for a transient reason (Postgres gone) is
 * retried with backoff, never dropped; one that fails for any other reason is split by batch,
 * then by event, so the one event the database refuses becomes a dead letter and everything else
 * is stored (writeIsolating): no event can block the queue for every org. Acks wait for the
 * commit. `isFull` tells connections to stop reading, so memory is bounded by the queue's event
 * and byte limits instead of by what agents send.
 */
export class IngestQueue {
  private readonly jobs = new FairJobQueue<Job>();
  private queued = 0;
  private queuedBytes = 0;
  private writers = 0;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (items: IngestItem[]) => Promise<IngestOutcome>,
    private readonly deadLetter: (letters: DeadLetter[]) => Promise<void>,
    private readonly options: IngestQueueOptions,
  ) {}

  get queuedEvents(): number {
    return this.queued;
  }

  get isFull(): boolean {
    return (
      this.queued >= this.options.maxQueuedEvents || this.queuedBytes >= this.options.maxQueuedBytes
    );
  }

  /** Resolves once the queue is below half full again. */
  whenSpace(): Promise<void> {
    if (this.belowHalf()) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  enqueue(item: IngestItem, bytes = 0): Promise<QueuedResult> {
    return new Promise((resolve) => {
      this.jobs.push({ item, bytes, resolve });
      this.queued += item.events.length;
      this.queuedBytes += bytes;
      this.options.metrics.queueDepth.set(this.queued);
      this.options.metrics.queueBytes.set(this.queuedBytes);
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
    let attempt = 0;
    while (this.jobs.length > 0) {
      // Taken off the queue while in flight; what is not settled goes back to the front.
      const batch = this.jobs.take(this.options.maxEventsPerTransaction);
      if (this.jobs.length > 0) void this.run();
      const unsettled = await this.writeBatch(batch);
      if (unsettled.length === 0) {
        attempt = 0;
        continue;
      }
      this.jobs.putBack(unsettled);
      const waitMs = nextBackoffMs(attempt++, { baseMs: 100, maxMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    this.writers--;
    if (this.writers === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Writes and settles what it can; returns the jobs to retry after a transient failure. */
  private async writeBatch(batch: Job[]): Promise<Job[]> {
    const stop = this.options.metrics.batchCommitSeconds.startTimer();
    try {
      const outcome = await this.write(batch.map((job) => job.item));
      stop();
      batch.forEach((job, index) => {
        const result = outcome.results[index];
        this.settle(job, { stored: result?.stored ?? 0, duplicates: result?.duplicates ?? 0 });
      });
      this.reportNewHosts(outcome.newHosts);
      return [];
    } catch (error) {
      this.options.metrics.writeFailures.inc();
      if (isTransientDatabaseError(error)) {
        this.options.log.warn({ err: error }, "ingest transaction failed; retrying");
        return batch;
      }
      if (isMissingPartitionError(error) && this.options.ensurePartitions) {
        this.options.log.warn({ err: error }, "an event partition is missing; creating it");
        await this.options
          .ensurePartitions()
          .catch((failure: unknown) =>
            this.options.log.warn({ err: failure }, "could not create event partitions"),
          );
        return batch;
      }
      this.options.log.warn(
        { err: error, batches: batch.length },
        "ingest transaction refused its data; writing its batches one by one to isolate it",
      );
      return this.writeOneByOne(batch);
    }
  }

  private async writeOneByOne(batch: Job[]): Promise<Job[]> {
    for (const [index, job] of batch.entries()) {
      try {
        const result = await writeIsolating(job.item, this.write);
        await this.keepDeadLetters(job.item, result.refused);
        this.reportNewHosts(result.newHosts);
        this.settle(job, result);
      } catch (error) {
        this.options.log.warn({ err: error }, "ingest failed while isolating; retrying");
        return batch.slice(index);
      }
    }
    return [];
  }

  private async keepDeadLetters(item: IngestItem, refused: RefusedEvent[]): Promise<void> {
    if (refused.length === 0) return;
    const letters = refused.map(({ position, reason }) => ({
      orgId: item.orgId,
      agentId: item.agentId,
      event: item.events[position] as DeadLetter["event"],
      reason,
    }));
    this.options.log.error(
      { orgId: item.orgId, agentId: item.agentId, reasons: refused.map((r) => r.reason) },
      "events refused by the database: kept as dead letters and acked as rejected",
    );
    try {
      await this.deadLetter(letters);
      this.options.metrics.eventsDeadLettered.inc(letters.length);
    } catch (error) {
      // Transient: the caller retries the batch. Otherwise (the org was deleted, say) the
      // letters have nowhere to go: say so loudly and count them rather than block the queue.
      if (isTransientDatabaseError(error)) throw error;
      this.options.log.error({ err: error, orgId: item.orgId }, "dead letters could not be kept");
      this.options.metrics.deadLettersLost.inc(letters.length);
    }
  }

  private settle(
    job: Job,
    result: { stored: number; duplicates: number; refused?: RefusedEvent[] },
  ) {
    this.queued -= job.item.events.length;
    this.queuedBytes -= job.bytes;
    this.options.metrics.eventsStored.inc(result.stored);
    this.options.metrics.eventsDuplicate.inc(result.duplicates);
    this.options.metrics.queueDepth.set(this.queued);
    this.options.metrics.queueBytes.set(this.queuedBytes);
    job.resolve({
      stored: result.stored,
      duplicates: result.duplicates,
      refused: result.refused ?? [],
    });
    if (this.belowHalf()) for (const resolve of this.spaceWaiters.splice(0)) resolve();
  }

  private belowHalf(): boolean {
    return (
      this.queued < this.options.maxQueuedEvents / 2 &&
      this.queuedBytes < this.options.maxQueuedBytes / 2
    );
  }

  private reportNewHosts(hosts: IngestOutcome["newHosts"]): void {
    if (hosts.length > 0) this.options.onNewHosts?.(hosts);
  }
}
