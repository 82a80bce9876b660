// `npm run bench:ingest`: events per second stored and acked end to end through a real gateway
// (frames in, committed with dedup, rollups, providers and endpoints, acks out), against raw COPY
// of the same rows into the same table in the same run; then the gateway's memory while Postgres
// is paused for 30 s under load. Uses DATABASE_URL's server, else an embedded one.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiKey, createDb, createUserWithOrganization } from "@lunar/db";
import { EMBEDDED_DATA_DIR, startEmbeddedPostgres } from "@lunar/db/embedded";
import {
  dropDatabase,
  ensureDatabase,
  ensureEventPartitions,
  MIGRATIONS_DIR,
  runMigrations,
  withDatabase,
} from "@lunar/db/postgres";
import pg from "pg";
import { exited, freePort, spawnGateway } from "../src/testing/spawn-gateway";
import { TcpPauseProxy } from "../src/testing/tcp-pause-proxy";
import { copyBaseline } from "./copy-baseline";
import { chunk, makeEvents, runLoadAgent } from "./load-agent";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 8);
const BATCH = 500;
const PAUSE_SECONDS = Number(process.env.BENCH_PAUSE_SECONDS ?? 30);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(EMBEDDED_DATA_DIR, "..", "bench-postgres"),
        port: 54331,
      });
  const server = process.env.DATABASE_URL ?? withDatabase(embedded?.serverUrl ?? "", "postgres");
  const url = withDatabase(server, `lunar_bench_${Date.now()}`);
  await ensureDatabase(url);
  await runMigrations(url, MIGRATIONS_DIR);
  const pool = new pg.Pool({ connectionString: url });
  await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 2 });
  const db = createDb(url);
  const { user, organization } = await createUserWithOrganization(db, {
    email: "bench@example.com",
    passwordHash: "x",
    organizationName: "bench",
  });
  const { secret } = await createApiKey(db, {
    orgId: organization.id,
    name: "bench",
    createdById: user.id,
  });
  const children: ChildProcess[] = [];

  try {
    console.log(
      `events: ${EVENTS}, agents: ${AGENTS}, batch: ${BATCH}, postgres: ${new URL(url).host}`,
    );
    const events = makeEvents(EVENTS);
    const copyRate = await copyBaseline(pool, organization.id, events);
    await pool.query("TRUNCATE events");
    console.log(`raw COPY:        ${Math.round(copyRate)} rows/s`);

    const port = await freePort();
    // BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles this phase.
    const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? "").split(" ").filter(Boolean);
    // The per-org rate limit (ORG_EVENTS_PER_SECOND, a fairness policy) is lifted: this phase
    // measures what one gateway can store, and the load comes from a single org.
    const gateway = await spawnGateway(url, port, {
      nodeArgs,
      env: { ORG_EVENTS_PER_SECOND: "10000000" },
    });
    children.push(gateway);
    const perAgent = chunk(chunk(events, BATCH), Math.ceil(EVENTS / BATCH / AGENTS));
    const started = performance.now();
    const results = await Promise.all(
      perAgent.map((batches) => runLoadAgent({ port, apiKey: secret, batches, window: 8 })),
    );
    const seconds = (performance.now() - started) / 1000;
    const e2eRate = EVENTS / seconds;
    const stored = results.reduce((sum, r) => sum + r.stored, 0);
    const rows = Number((await pool.query("SELECT count(*) AS n FROM events")).rows[0].n);
    const rolled = Number((await pool.query("SELECT sum(count) AS n FROM rollups_1m")).rows[0].n);
    console.log(
      `end to end:      ${Math.round(e2eRate)} events/s (${((100 * e2eRate) / copyRate).toFixed(0)}% of raw COPY); acked ${stored}, rows ${rows}, in rollups ${rolled}`,
    );
    gateway.kill("SIGTERM");
    await exited(gateway);

    // Postgres paused under load: the gateway must stop reading, not buffer without bound.
    const target = new URL(url);
    const proxy = new TcpPauseProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const proxied = new URL(url);
    proxied.port = String(proxy.port);
    proxied.hostname = "127.0.0.1";
    const pausePort = await freePort();
    const paused = await spawnGateway(proxied.toString(), pausePort);
    children.push(paused);
    const loadSeconds = PAUSE_SECONDS + 15;
    const rate = 5_000;
    const loadEvents = makeEvents(rate * loadSeconds);
    const batches = chunk(loadEvents, BATCH);
    const perLoadAgent = chunk(batches, Math.ceil(batches.length / AGENTS));
    const load = Promise.all(
      perLoadAgent.map((mine) =>
        runLoadAgent({
          port: pausePort,
          apiKey: secret,
          batches: mine,
          window: 8,
          batchesPerSecond: rate / BATCH / AGENTS,
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const before = rssMiB(paused.pid as number);
    proxy.pause();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(paused.pid as number));
    }, 250);
    await new Promise((resolve) => setTimeout(resolve, PAUSE_SECONDS * 1000));
    proxy.resume();
    await load;
    clearInterval(sampler);
    const after = Number((await pool.query("SELECT count(*) AS n FROM events")).rows[0].n);
    console.log(
      `postgres paused ${PAUSE_SECONDS}s under ${rate} events/s: gateway RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB; all ${loadEvents.length} acked, rows now ${after - rows}`,
    );
    paused.kill("SIGTERM");
    await exited(paused);
    await proxy.stop();
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await pool.end();
    await db.$disconnect();
    await dropDatabase(url);
    await embedded?.stop();
  }
}

await main();
