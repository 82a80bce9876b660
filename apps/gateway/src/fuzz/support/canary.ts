import { TestAgent, toolCallEvent } from "../../testing/test-agent";

/**
 * An agent of an org the hostile traffic never uses: if one org's frames or events could stall
 * the gateway's write path or its event loop, this org's batch would not be acked in time.
 */
export class Canary {
  private agent: TestAgent | null = null;
  private seq = 0;

  constructor(
    private readonly port: () => number,
    private readonly apiKey: string,
  ) {}

  /** Sends one valid event and resolves once it is acked as stored; rejects past the deadline. */
  async ackedWithin(timeoutMs = 5_000): Promise<void> {
    const started = Date.now();
    try {
      if (this.agent === null || this.agent.closed) {
        this.agent = await TestAgent.ready(this.port(), this.apiKey);
      }
      const seq = ++this.seq;
      this.agent.sendEvents(seq, [toolCallEvent()]);
      const ack = await this.agent.next("ack", Math.max(0, timeoutMs - (Date.now() - started)));
      if (ack.seq !== seq || ack.stored !== 1)
        throw new Error(`unexpected ack ${JSON.stringify(ack)}`);
    } catch (error) {
      this.agent?.close();
      this.agent = null;
      throw new Error(
        `the canary agent of another org got no ack within ${timeoutMs} ms: ${(error as Error).message}`,
      );
    }
  }

  close(): void {
    this.agent?.close();
    this.agent = null;
  }
}
