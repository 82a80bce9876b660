// `npm run bench -w @lunar/web` (or the root `npm run bench`): the web process's memory while
// live-log readers that never read are subscribed and a large volume of events is stored for
// their org. Starts the built dashboard (`next start`, build first: `npm run build -w
// @lunar/web`) on a fresh database of DATABASE_URL's server (else an embedded one), opens one
// reader that reads and BENCH_STALLED (4) that stop reading once subscribed, stores
// BENCH_BATCHES batches of BENCH_EVENTS_PER_BATCH events through the ingest (ingestEvents: one
// NOTIFY lunar_events per batch, as the gateway does) and prints the process's RSS before,
// at its peak while storing, and after.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { EMBEDDED_DATA_DIR, startEmbeddedPostgres } from "@lunar/db/embedded";
import {
  dropDatabase,
  ensureDatabase,
  ensureEventPartitions,
  ingestEvents,
  MIGRATIONS_DIR,
  runMigrations,
  withDatabase,
} from "@lunar/db/postgres";
import { httpCall } from "@lunar/shared/testing";
import pg from "pg";
import { RawLiveReader } from "../e2e/raw-live-reader";

const STALLED = Number(process.env.BENCH_STALLED ?? 4);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const EVENTS_PER_BATCH = Number(process.env.BENCH_EVENTS_PER_BATCH ?? 500);
const PATH_CHARS = Number(process.env.BENCH_PATH_CHARS ?? 1_000);
const SETTLE_MS = 15_000;
const WEB_DIR = join(import.meta.dirname, "..");

/** Resident memory of a process and its descendants, MiB. */
function treeRssMiB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let kib = 0;
  const visit = (id: number) => {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${id}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      return;
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return kib / 1024;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

async function startWeb(databaseUrl: string, port: number): Promise<ChildProcess> {
  const next = join(WEB_DIR, "../../node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return child;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error("the dashboard did not start");
}

async function signUp(port: number): Promise<{ cookie: string; orgId: string }> {
  const origin = `http://127.0.0.1:${port}`;
  const response = await fetch(`${origin}/api/auth/signup`, {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({
      email: `bench-${randomUUID()}@example.com`,
      password: "bench password",
    }),
  });
  if (response.status !== 201) throw new Error(`sign-up answered ${response.status}`);
  const cookie = /lunar_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
  const { organization } = (await response.json()) as { organization: { id: string } };
  return { cookie: cookie ?? "", orgId: organization.id };
}

async function main() {
  if (!existsSync(join(WEB_DIR, ".next/BUILD_ID"))) {
    throw new Error("no production build: run `npm run build -w @lunar/web` first");
  }
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(EMBEDDED_DATA_DIR, "..", "bench-postgres"),
        port: 54332,
      });
  const server = process.env.DATABASE_URL ?? withDatabase(embedded?.serverUrl ?? "", "postgres");
  const url = withDatabase(server, `lunar_bench_web_${Date.now()}`);
  await ensureDatabase(url);
  await runMigrations(url, MIGRATIONS_DIR);
  const pool = new pg.Pool({ connectionString: url });
  await ensureEventPartitions(pool, { daysBack: 1, daysAhead: 1 });
  const port = await freePort();
  const web = await startWeb(url, port);
  const pid = web.pid as number;
  const readers: RawLiveReader[] = [];
  try {
    const { cookie, orgId } = await signUp(port);
    const agentId = randomUUID();
    const path = `/bench/${"p".repeat(PATH_CHARS)}`;
    const batch = () =>
      Array.from({ length: EVENTS_PER_BATCH }, () => httpCall({ host: "bench.example", path }));
    const reader = await RawLiveReader.open(port, cookie);
    readers.push(reader);
    // Warm-up: the live path's code loaded and run once, and a settled heap to start from.
    for (let i = 0; i < 5; i++) await ingestEvents(pool, [{ orgId, agentId, events: batch() }]);
    await reader.until(() => reader.ids.size === 5 * EVENTS_PER_BATCH);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const before = treeRssMiB(pid);

    const stalled: RawLiveReader[] = [];
    for (let i = 0; i < STALLED; i++) stalled.push(await RawLiveReader.open(port, cookie));
    readers.push(...stalled);
    for (const one of stalled) one.stopReading();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, treeRssMiB(pid));
    }, 100);
    const started = performance.now();
    const expected = reader.ids.size + BATCHES * EVENTS_PER_BATCH;
    for (let i = 0; i < BATCHES; i++)
      await ingestEvents(pool, [{ orgId, agentId, events: batch() }]);
    const delivered = await reader.until(() => reader.ids.size === expected, 120_000);
    const seconds = (performance.now() - started) / 1000;
    const during = treeRssMiB(pid);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    clearInterval(sampler);
    const after = treeRssMiB(pid);

    // Reading again shows which stalled readers the server ended (cut off) and which it kept.
    let ended = 0;
    let stalledEvents = 0;
    for (const one of stalled) {
      if (await one.readToEnd(10_000)) ended++;
      stalledEvents += one.ids.size;
    }
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    const streamBytes = reader.bytesRead;
    console.log(
      [
        `stored ${BATCHES} batches of ${EVENTS_PER_BATCH} events (${mib(streamBytes)} MiB on one stream) in ${seconds.toFixed(1)} s; ${STALLED} readers stopped reading`,
        `reader that reads: ${delivered ? "got every event" : `got ${reader.ids.size} of ${expected} events`}`,
        `web RSS: before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, at the end of storing ${during.toFixed(0)} MiB, ${SETTLE_MS / 1000} s later ${after.toFixed(0)} MiB`,
        `stalled readers: ${ended} of ${STALLED} ended by the server; they had been sent ${stalledEvents} events in all`,
      ].join("\n"),
    );
  } finally {
    for (const one of readers) one.close();
    if (web.exitCode === null) {
      const exited = new Promise((resolve) => web.once("exit", resolve));
      web.kill("SIGTERM");
      await exited;
    }
    await pool.end();
    await dropDatabase(url);
    await embedded?.stop();
  }
}

await main();
