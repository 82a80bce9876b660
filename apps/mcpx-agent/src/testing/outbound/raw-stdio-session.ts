// A bare MCP stdio client for tests that must see every byte a server writes to stdout: it speaks
// newline-delimited JSON-RPC itself and keeps the raw stdout, so a test can check that nothing
// but MCP messages (no banner, no log line, no preload chatter) ever reached the MCP channel.
import { spawn } from "node:child_process";

export interface RawSessionResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RawSession {
  request(method: string, params?: unknown): Promise<{ result?: unknown; error?: unknown }>;
  notify(method: string, params?: unknown): void;
  /** Closes stdin, waits for the server to exit (SIGTERM after `graceMs`), returns its output. */
  finish(graceMs?: number): Promise<RawSessionResult>;
}

export function spawnRawSession(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): RawSession {
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let buffered = "";
  let nextId = 1;
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  const exited = new Promise<RawSessionResult>((resolve) => {
    child.on("close", (code, signal) => resolve({ stdout, stderr, code, signal }));
  });

  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const message = JSON.parse(line) as { id?: unknown; result?: unknown; error?: unknown };
        if (typeof message.id === "number") pending.get(message.id)?.(message);
      } catch {
        // Not JSON: the test reads the raw stdout and fails on it.
      }
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on("error", () => {});

  const write = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);

  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 20_000);
        pending.set(id, (message) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(message);
        });
        exited.then(() => reject(new Error(`server exited before answering ${method}`)));
        write({ jsonrpc: "2.0", id, method, params });
      });
    },
    notify(method, params) {
      write({ jsonrpc: "2.0", method, params });
    },
    async finish(graceMs = 3_000) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGTERM"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Every complete stdout line that is not a JSON-RPC 2.0 message (an empty list when clean). */
export function nonMcpLines(stdout: string): string[] {
  const lines = stdout.split("\n");
  const last = lines.pop();
  const bad = last ? [last] : []; // a message always ends with a newline
  for (const line of lines) {
    try {
      const message = JSON.parse(line) as { jsonrpc?: unknown };
      if (message.jsonrpc !== "2.0") bad.push(line);
    } catch {
      bad.push(line);
    }
  }
  return bad;
}
