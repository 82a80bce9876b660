import type { Socket } from "node:net";

/**
 * Reads a socket to its end a few KiB per turn of the event loop, so whatever writes to it backs
 * up and has its writes only partly taken; resolves with every byte read.
 */
export function readSlowly(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    const readSome = () => {
      const chunk: Buffer | null = socket.read(4096) ?? socket.read();
      if (chunk) {
        chunks.push(chunk);
        setImmediate(readSome);
      } else {
        socket.once("readable", readSome);
      }
    };
    socket.once("readable", readSome);
    socket.once("end", () => resolve(Buffer.concat(chunks)));
    socket.once("error", reject);
  });
}
