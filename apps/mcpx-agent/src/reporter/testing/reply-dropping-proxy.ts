import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A loopback TCP relay between an agent and a gateway that, once told, stops passing on what the
 * gateway answers while still delivering everything the agent sends: batches get stored, their
 * acks never arrive (the ack lost with a dying connection or process).
 */
export class ReplyDroppingProxy {
  dropReplies = false;
  port = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, "127.0.0.1");
      this.sockets.add(client).add(upstream);
      client.pipe(upstream);
      upstream.on("data", (chunk: Buffer) => {
        if (!this.dropReplies) client.write(chunk);
      });
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const socket of [client, upstream]) {
        socket.on("error", drop);
        socket.on("close", drop);
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
