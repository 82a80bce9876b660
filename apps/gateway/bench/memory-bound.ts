// `npm run bench:memory -w @lunar/gateway`: the gateway's memory when agents try to make it
// hold as much as they can. A gateway process (as `npm start` runs it) on DATABASE_URL's
// Postgres (else an embedded one), and BENCH_SILENT_AGENTS (150) agents that send max-size
// batches without end and never read a byte (socket paused: no ack, no welcome is read) beside
// BENCH_FAST_AGENTS (50) that send valid 1 MiB frames as fast as allowed (8 unacked), two orgs.
// RSS is sampled from /proc/<pid>/status for BENCH_SECONDS (60); prints the configured bounds,
// the peak and final RSS, and the queue's high-water marks.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
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
import { MAX_EVENTS_PER_BATCH, MAX_FRAME_BYTES, MAX_IN_FLIGHT_BATCHES } from "@lunar/shared";
import pg from "pg";
import type WebSocket from "ws";
import { loadEnv } from "../src/env";
import { GATEWAY_NODE_FLAGS } from "../src/node-flags";
import { exited, freePort, spawnGateway } from "../src/testing/spawn-gateway";
import {
  fastAgent,
  type LoadStats,
  maxSizeFrames,
  newLoadStats,
  silentAgent,
} from "./memory-agents";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SILENT = Number(process.env.BENCH_SILENT_AGENTS ?? 150);
const FAST = Number(process.env.BENCH_FAST_AGENTS ?? 50);
/** docs/PROTOCOL.md "Unsent bytes to the agent" (agent-connection.ts MAX_BUFFERED_BYTES). */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;
const MiB = 1024 * 1024;

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, hwm: kib("VmHWM") / 1024 };
}

async function metrics(port: number): Promise<Map<string, number>> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of body.split("\n")) {
    const match = /^(lunar_gateway_[a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match)
      values.set(match[1] as string, (values.get(match[1] as string) ?? 0) + Number(match[2]));
  }
  return values;
}

async function seedOrg(db: ReturnType<typeof createDb>, label: string): Promise<string> {
  const { user, organization } = await createUserWithOrganization(db, {
    email: `${label}@example.com`,
    passwordHash: "x",
    organizationName: label,
  });
  const { secret } = await createApiKey(db, {
    orgId: organization.id,
    name: label,
    createdById: user.id,
  });
  return secret;
}

async function main() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(EMBEDDED_DATA_DIR, "..", "bench-memory-postgres"),
        port: 54332,
      });
  const server = process.env.DATABASE_URL ?? withDatabase(embedded?.serverUrl ?? "", "postgres");
  const url = withDatabase(server, `lunar_bench_memory_${Date.now()}`);
  await ensureDatabase(url);
  await runMigrations(url, MIGRATIONS_DIR);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 2 });
  const db = createDb(url);
  const silentKey = await seedOrg(db, "silent");
  const fastKey = await seedOrg(db, "fast");
  const env = loadEnv({ DATABASE_URL: url });
  let gateway: ChildProcess | undefined;
  const sockets: WebSocket[] = [];
  try {
    const port = await freePort();
    gateway = await spawnGateway(url, port);
    const pid = gateway.pid as number;
    await delay(2_000);
    const baseline = memory(pid).rss;

    console.log(
      `gateway memory bound: ${SILENT} agents that never read + ${FAST} that send 1 MiB frames, ${SECONDS} s, Postgres at ${new URL(url).host}`,
    );
    console.log(
      `configured: frames ≤ ${MAX_FRAME_BYTES / MiB} MiB and ≤ ${MAX_EVENTS_PER_BATCH} events, ${MAX_IN_FLIGHT_BATCHES} unacked batches per connection, ${MAX_UNSENT_BYTES / MiB} MiB unsent per agent; write queue ≤ ${env.INGEST_QUEUE_MAX_EVENTS} events and ≤ ${env.INGEST_QUEUE_MAX_BYTES / MiB} MiB of frames; ${env.ORG_EVENTS_PER_SECOND} events/s per org; node ${GATEWAY_NODE_FLAGS.join(" ")}`,
    );
    const connections = SILENT + FAST;
    console.log(
      `  so frame bytes held, roughly at most: queue ${env.INGEST_QUEUE_MAX_BYTES / MiB} MiB + one batch past it and one being read per connection (${connections} × 2 MiB) = ${env.INGEST_QUEUE_MAX_BYTES / MiB + 2 * connections} MiB, plus unsent acks (≤ ${MAX_UNSENT_BYTES / MiB} MiB each, in practice a few KiB)`,
    );

    const frame = maxSizeFrames();
    console.log(
      `load frames: ${(frame(1).length / MiB).toFixed(3)} MiB, ${MAX_EVENTS_PER_BATCH} events each`,
    );
    const stats: LoadStats = newLoadStats();
    let running = true;
    const options = (apiKey: string) => ({ port, apiKey, frame, stats, running: () => running });
    for (let i = 0; i < SILENT; i++) sockets.push(silentAgent(options(silentKey)));
    for (let i = 0; i < FAST; i++) sockets.push(fastAgent(options(fastKey)));

    // RSS from /proc every 250 ms, whatever the gateway is doing; /metrics in its own loop (a
    // saturated event loop answers late, and how late is worth knowing too).
    let peakRss = baseline;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, memory(pid).rss);
    }, 250);
    const high = { queueEvents: 0, queueBytes: 0, scrapeMs: 0 };
    let last = new Map<string, number>();
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        const asked = Date.now();
        last = await metrics(port).catch(() => last);
        high.scrapeMs = Math.max(high.scrapeMs, Date.now() - asked);
        high.queueEvents = Math.max(
          high.queueEvents,
          last.get("lunar_gateway_ingest_queue_events") ?? 0,
        );
        high.queueBytes = Math.max(
          high.queueBytes,
          last.get("lunar_gateway_ingest_queue_bytes") ?? 0,
        );
        await delay(500);
      }
    })();
    const started = Date.now();
    const timeline = setInterval(() => {
      const second = Math.round((Date.now() - started) / 1000);
      console.log(
        `  ${String(second).padStart(3)} s  RSS ${memory(pid).rss.toFixed(0).padStart(5)} MiB  queue ${String(last.get("lunar_gateway_ingest_queue_events") ?? 0).padStart(6)} events ${((last.get("lunar_gateway_ingest_queue_bytes") ?? 0) / MiB).toFixed(1).padStart(6)} MiB  stored ${last.get("lunar_gateway_events_stored_total") ?? 0}`,
      );
    }, 5_000);
    await delay(SECONDS * 1000);
    clearInterval(timeline);
    const endOfLoad = memory(pid);
    const storedDuringLoad = last.get("lunar_gateway_events_stored_total") ?? 0;
    running = false;
    for (const socket of sockets) socket.terminate();
    // What was queued is still written (its acks have nowhere to go): final RSS once it is.
    const drainStarted = Date.now();
    while (
      (last.get("lunar_gateway_ingest_queue_events") ?? 1) > 0 &&
      Date.now() - drainStarted < 180_000
    )
      await delay(1_000);
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    await delay(2_000);
    scraping = false;
    await scraper;
    clearInterval(sampler);
    const final = await metrics(port);
    const afterwards = memory(pid);

    console.log(
      `RSS: ${baseline.toFixed(0)} MiB before the load; peak ${Math.max(peakRss, afterwards.hwm).toFixed(0)} MiB (VmHWM); ${endOfLoad.rss.toFixed(0)} MiB at the end of the load; final ${afterwards.rss.toFixed(0)} MiB once the agents had gone and the queue was written (${drainSeconds.toFixed(0)} s later)`,
    );
    console.log(
      `write queue high-water marks (0.5 s samples): ${high.queueEvents} events, ${(high.queueBytes / MiB).toFixed(1)} MiB of frames; slowest /metrics answer ${(high.scrapeMs / 1000).toFixed(1)} s`,
    );
    const closes = [...stats.closes].map(([code, n]) => `${code}×${n}`).join(", ") || "none";
    console.log(
      `load: ${stats.framesSent} frames (${(stats.bytesSent / MiB).toFixed(0)} MiB) handed to the sockets; ${storedDuringLoad} events stored during the load (${Math.round(storedDuringLoad / SECONDS)}/s), ${final.get("lunar_gateway_events_stored_total") ?? 0} in all; fast agents' acks ${stats.acks}; closes by the gateway: ${closes}; uncaught errors ${final.get("lunar_gateway_uncaught_errors_total") ?? 0}`,
    );
  } finally {
    for (const socket of sockets) socket.terminate();
    if (gateway) {
      gateway.kill("SIGKILL");
      await exited(gateway);
    }
    await pool.end();
    await db.$disconnect();
    await dropDatabase(url);
    await embedded?.stop();
  }
}

await main();
