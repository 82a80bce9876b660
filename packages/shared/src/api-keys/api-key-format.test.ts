import { describe, expect, it } from "vitest";
import {
  API_KEY_LENGTH,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  visiblePrefixOf,
} from "./api-key-format";

describe("API key format", () => {
  it("generates keys with the lunar_ prefix, full length and a valid checksum", () => {
    const key = generateApiKey();
    expect(key.secret).toMatch(/^lunar_[0-9A-Za-z]+$/);
    expect(key.secret).toHaveLength(API_KEY_LENGTH);
    expect(isWellFormedApiKey(key.secret)).toBe(true);
    expect(key.prefix).toBe(visiblePrefixOf(key.secret));
    expect(key.hash).toBe(hashApiKey(key.secret));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never generates the same key twice", () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateApiKey().secret));
    expect(seen.size).toBe(500);
  });

  it("rejects a key with one character changed (a typo) by its checksum", () => {
    const { secret } = generateApiKey();
    const index = 10;
    const replacement = secret[index] === "a" ? "b" : "a";
    const typo = secret.slice(0, index) + replacement + secret.slice(index + 1);
    expect(isWellFormedApiKey(typo)).toBe(false);
  });

  it("rejects two swapped characters, a truncated key, a wrong prefix and junk", () => {
    const { secret } = generateApiKey();
    const chars = secret.split("");
    const i = chars.findIndex((c, n) => n > 8 && c !== chars[n + 1]);
    [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
    expect(isWellFormedApiKey(chars.join(""))).toBe(false);
    expect(isWellFormedApiKey(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`lunax_${secret.slice(6)}`)).toBe(false);
    expect(isWellFormedApiKey("")).toBe(false);
    expect(isWellFormedApiKey(`${secret} `)).toBe(false);
    expect(isWellFormedApiKey("lunar_' OR 1=1 --")).toBe(false);
  });
});
