import type pg from "pg";

/**
 * Runs `work` in a transaction on a pooled connection. While checked out, a connection that dies
 * (Postgres restarted, network cut) emits an error nobody else listens for; it is caught here so
 * the process survives, the transaction's promise rejects, and the broken connection is
 * destroyed instead of going back to the pool.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let connectionError: Error | undefined;
  const onError = (error: Error) => {
    connectionError = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.off("error", onError);
    client.release(connectionError);
  }
}
