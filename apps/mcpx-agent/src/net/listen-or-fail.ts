import type { Server } from "node:net";

/**
 * Listens, or rejects with the listen error (EADDRINUSE, EACCES): a bare `server.listen(…, cb)`
 * reports that as an 'error' event nobody awaits, which escaped as an uncaught exception.
 */
export function listenOrFail(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
}
