import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

// An API key looks like `lunar_` + 32 base62 characters of randomness + 6 base62 characters of
// CRC32 over the rest. The recognisable prefix lets secret scanners find leaked keys; the checksum
// lets us reject a mistyped key without touching the database.
export const API_KEY_PREFIX = "lunar_";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
/** How many leading characters of a key are stored and shown to tell keys apart. */
export const API_KEY_VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`,
);

function toBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return toBase62(crc32(body) >>> 0, CHECKSUM_LENGTH);
}

function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniformly distributed.
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export interface GeneratedApiKey {
  secret: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const body = API_KEY_PREFIX + randomBase62(RANDOM_LENGTH);
  const secret = body + checksumOf(body);
  return { secret, prefix: visiblePrefixOf(secret), hash: hashApiKey(secret) };
}

/** True when the key has the right shape and checksum; says nothing about whether it exists. */
export function isWellFormedApiKey(candidate: string): boolean {
  if (!KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(0, -CHECKSUM_LENGTH);
  const given = Buffer.from(candidate.slice(-CHECKSUM_LENGTH));
  return timingSafeEqual(given, Buffer.from(checksumOf(body)));
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function visiblePrefixOf(secret: string): string {
  return secret.slice(0, API_KEY_VISIBLE_PREFIX_LENGTH);
}
