import { v7 } from "uuid";

// Random bytes drawn 4 KiB at a time: one call into the system's generator per 256 ids instead
// of one per id (the egress proxy makes an id for every outbound call). Web Crypto, so the same
// code runs in Node and in a browser bundle of this package.
const pool = new Uint8Array(4096);
let offset = pool.length;

function pooledRandom(): Uint8Array {
  if (offset + 16 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

/**
 * A new event id: UUIDv7, time-ordered to the millisecond (ids of the same millisecond are in
 * random order), so the gateway's dedup ledger and the events index grow at their right edge
 * instead of taking random page writes.
 */
export function newEventId(): string {
  return v7({ random: pooledRandom() });
}
