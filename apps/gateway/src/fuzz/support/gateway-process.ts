import type { ChildProcess } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { exited, freePort, spawnGateway } from "../../testing/spawn-gateway";

const TAIL_CHARS = 6_000;

// Never outlive the test process: vitest does not end what its workers spawned, and a worker
// it kills runs no exit handler. So the gateway also watches its parent and exits with it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
export const EXIT_WITH_PARENT =
  "--import=data:text/javascript,const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(70)},500).unref()";

/**
 * The gateway in its own process, so that "it is still alive" means something: in the test's
 * process a crash would be caught by vitest instead of ending anything. A test (or a fast-check
 * shrink) that finds it dead starts it again, so every case begins with a serving gateway and
 * fails for its own input, not for the one before.
 */
export class GatewayProcess {
  port = 0;
  private child: ChildProcess | undefined;
  private output = "";
  private exit: string | null = null;
  private disposed = false;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly env: Record<string, string> = {},
  ) {}

  /** Starts it (one start at a time: a second call waits for the first). */
  start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async spawn(): Promise<void> {
    if (this.disposed) throw new Error("the test is over: no gateway to start");
    this.port = await freePort();
    this.output = "";
    this.exit = null;
    const child = await spawnGateway(this.databaseUrl, this.port, {
      env: this.env,
      nodeArgs: [EXIT_WITH_PARENT],
    });
    if (this.disposed) {
      child.kill("SIGKILL");
      throw new Error("the test is over: no gateway to start");
    }
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-TAIL_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("exit", (code, signal) => {
      if (this.child === child)
        this.exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
    });
    this.child = child;
    running.add(child);
    child.once("exit", () => running.delete(child));
  }

  /** Starts it again if it died (or no longer answers); true when it had to. */
  async ensureRunning(): Promise<boolean> {
    if (this.starting) await this.starting;
    if (this.child && this.exit === null) {
      const health = await this.get("/healthz").catch(() => null);
      if (health?.status === 200) return false;
      await this.stop();
    }
    await this.start();
    return true;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, body: await response.text() };
  }

  /** Sum of a Prometheus counter's or gauge's samples (every label set); 0 when absent. */
  async metric(name: string): Promise<number> {
    const { body } = await this.get("/metrics");
    let sum = 0;
    for (const line of body.split("\n")) {
      if (!line.startsWith(name)) continue;
      const rest = line.slice(name.length);
      if (!rest.startsWith(" ") && !rest.startsWith("{")) continue;
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
    return sum;
  }

  /**
   * Throws unless the process runs, `/healthz` answers 200 and no error escaped every handler
   * since `uncaughtBefore` (lunar_gateway_uncaught_errors_total, counted instead of crashing).
   */
  async expectServing(uncaughtBefore = 0): Promise<void> {
    if (this.exit !== null) throw this.failure(`the gateway ${this.exit}`);
    let health: { status: number } | null = null;
    try {
      health = await this.get("/healthz");
    } catch (error) {
      // Most likely dying: its exit says more than the refused connection.
      if (this.child) await Promise.race([exited(this.child), delay(2_000)]);
      if (this.exit !== null) throw this.failure(`the gateway ${this.exit}`);
      throw this.failure(`/healthz did not answer (${(error as Error).message})`);
    }
    if (health.status !== 200) throw this.failure(`/healthz answered ${health.status}`);
    const uncaught = await this.metric("lunar_gateway_uncaught_errors_total");
    if (uncaught > uncaughtBefore)
      throw this.failure(`${uncaught - uncaughtBefore} error(s) escaped every handler`);
  }

  /** An error that says what went wrong and shows the end of the gateway's log. */
  private failure(what: string): Error {
    return new Error(`${what}; the gateway's log ends with:\n${this.output.slice(-3_000)}`);
  }

  /**
   * Stops it for good: a run fast-check gave up on (its time limit) may still be going, and
   * must not start another gateway after the test ended.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited(child);
  }
}
