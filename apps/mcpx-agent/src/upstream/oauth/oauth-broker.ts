import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { FileOAuthProvider } from "./file-oauth-provider";

const CALLBACK_PATH = "/oauth/callback";
const PORT_FILE = "callback.json";

/**
 * OAuth for the remote servers that require it: one provider per server, its file in
 * `<dir>/<server>.json`, and one loopback listener (started when first needed) that takes the
 * authorization server's redirect back to the agent and hands the code to the server waiting.
 * The listener takes the port it had last time when it is free: a registration is for one
 * redirect URL, and a new one would orphan the refresh tokens issued to the old.
 */
export class OAuthBroker {
  private listener: Promise<{ server: Server; url: string }> | undefined;
  private readonly providers = new Map<string, FileOAuthProvider>();
  private readonly waiting = new Map<string, (code: string) => void>();

  constructor(
    private readonly dir: string,
    private readonly options: { port?: number } = {},
  ) {}

  async providerFor(server: string): Promise<FileOAuthProvider> {
    const known = this.providers.get(server);
    if (known) return known;
    const { url } = await this.listen();
    const provider = await FileOAuthProvider.open(join(this.dir, `${fileName(server)}.json`), url);
    this.providers.set(server, provider);
    return provider;
  }

  /** The next authorization code the user's browser brings back for `server`. */
  nextCode(server: string): Promise<string> {
    return new Promise((resolve) => this.waiting.set(server, resolve));
  }

  /** Stops waiting for `server` (it was stopped or its config changed). */
  forget(server: string): void {
    this.waiting.delete(server);
    this.providers.delete(server);
  }

  async close(): Promise<void> {
    const listening = await this.listener;
    this.listener = undefined;
    if (!listening) return;
    await new Promise<void>((resolve) => listening.server.close(() => resolve()));
  }

  private listen(): Promise<{ server: Server; url: string }> {
    this.listener ??= this.lastPort().then(async (last) => {
      const listening = await this.listenOn(this.options.port ?? last).catch((error) => {
        if (this.options.port === undefined && last !== 0) return this.listenOn(0);
        throw error;
      });
      const { port } = listening.address() as AddressInfo;
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(join(this.dir, PORT_FILE), JSON.stringify({ port }), { mode: 0o600 });
      return { server: listening, url: `http://127.0.0.1:${port}${CALLBACK_PATH}` };
    });
    return this.listener;
  }

  private async lastPort(): Promise<number> {
    try {
      const { port } = JSON.parse(await readFile(join(this.dir, PORT_FILE), "utf8"));
      return Number.isInteger(port) ? port : 0;
    } catch {
      return 0;
    }
  }

  private listenOn(port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const code = url.searchParams.get("code");
        const state = url.searchParams.get("state") ?? "";
        const name = [...this.providers].find(([, provider]) => provider.expects(state))?.[0];
        const deliver = name ? this.waiting.get(name) : undefined;
        if (url.pathname !== CALLBACK_PATH || !code || !name || !deliver) {
          const error = url.searchParams.get("error_description") ?? url.searchParams.get("error");
          res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
          res.end(`mcpx-agent: no authorization expected here${error ? ` (${error})` : ""}.\n`);
          return;
        }
        this.waiting.delete(name);
        deliver(code);
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        res.end(`mcpx-agent: server "${name}" is authorized; you can close this page.\n`);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.unref();
        resolve(server);
      });
    });
  }
}

function fileName(server: string): string {
  return server.replace(/[^A-Za-z0-9._-]/g, "_");
}
