import pg from "pg";

/** Postgres' code for a connection ended by an administrator (here: DROP DATABASE … WITH (FORCE)). */
const ADMIN_SHUTDOWN = "57P01";

/**
 * A pool for a test database. `pool.end()` resolves once its clients are let go, not once their
 * connections are closed; the test database's drop then ends such a connection from the server
 * side, and the pool reports that as an error. Without a listener that error would crash the
 * test run, so this one is ignored; any other idle-connection error still fails the run.
 */
export function createTestPool(connectionString: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...options, connectionString });
  pool.on("error", (error) => {
    if ((error as { code?: string }).code === ADMIN_SHUTDOWN) return;
    throw error;
  });
  return pool;
}
