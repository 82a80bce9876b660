import type { IdleTimers } from "../front/http-session-table";

/** Idle timers on a clock the test moves: expiry happens exactly when the test says. */
export class ManualIdleTimers implements IdleTimers {
  private now = 0;
  private readonly pending = new Set<{ at: number; callback: () => void }>();

  start(callback: () => void, ms: number): () => void {
    const timer = { at: this.now + ms, callback };
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** Moves the clock on by `ms`, calling every callback that falls due, earliest first. */
  advance(ms: number): void {
    this.now += ms;
    const due = [...this.pending].filter((timer) => timer.at <= this.now);
    for (const timer of due.sort((a, b) => a.at - b.at)) {
      this.pending.delete(timer);
      timer.callback();
    }
  }
}
