import { nextBackoffMs } from "@lunar/shared";
import pg from "pg";

/** Just what the listener logs through (pino's logger fits). */
export interface ListenerLog {
  warn(context: object, message: string): void;
}

/**
 * LISTENs on channels with one dedicated connection, reconnecting with backoff when Postgres
 * goes away. After a reconnect `onReconnect` runs, so callers can re-check what they may have
 * missed while deaf (NOTIFY is not queued for absent listeners).
 */
export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: Record<string, (payload: string) => void>,
    private readonly log: ListenerLog,
    private readonly onReconnect: () => void = () => {},
  ) {}

  /** Connects now if it can; otherwise keeps trying in the background (the gateway still serves). */
  async start(): Promise<void> {
    await this.connect(false).catch((error) => {
      this.log.warn({ err: error }, "cannot LISTEN yet; retrying in the background");
      this.scheduleReconnect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => {});
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", (message) => {
      const handler = this.handlers[message.channel];
      // A handler's failure is its own: it must not reach pg's parser and end the process.
      try {
        handler?.(message.payload ?? "");
      } catch (error) {
        this.log.warn({ err: error, channel: message.channel }, "notification handler failed");
      }
    });
    client.on("error", (error) => this.log.warn({ err: error }, "listen connection failed"));
    client.on("end", () => {
      if (!this.stopped) this.scheduleReconnect();
    });
    try {
      await client.connect();
      for (const channel of Object.keys(this.handlers)) await client.query(`LISTEN "${channel}"`);
      this.client = client;
      this.attempt = 0;
      if (isReconnect) this.onReconnect();
    } catch (error) {
      await client.end().catch(() => {});
      if (!isReconnect) throw error;
      this.log.warn({ err: error }, "listen reconnect failed");
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = nextBackoffMs(this.attempt++, { baseMs: 200, maxMs: 5_000, jitter: 0.2 });
    setTimeout(() => void this.connect(true), delay);
  }
}
