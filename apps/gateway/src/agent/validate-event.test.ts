import { ZAgentEvent } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { validateEvent } from "./validate-event";

const http = {
  id: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b",
  type: "http_call",
  ts: 1_764_000_000_000,
  server: "slack",
  correlationId: null,
  durationMs: 12.5,
  method: "POST",
  scheme: "https",
  host: "slack.com",
  port: 443,
  path: "/api/chat.postMessage?token=[redacted]",
  status: 200,
  bytesIn: 10,
  bytesOut: 20,
  decision: "allowed",
  rule: "org:AllowFilter#0",
  networkError: null,
  inspected: true,
};
const tool = {
  id: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c",
  type: "tool_call",
  ts: 1_764_000_000_000,
  server: "slack",
  correlationId: "c1",
  durationMs: 3,
  tool: "post_message",
  outcome: "ok",
  errorType: null,
  argumentBytes: 42,
};

const hostileValues: unknown[] = [
  undefined,
  null,
  "",
  "x".repeat(129),
  // Lengths count code points in both (129 emoji are 258 UTF-16 units).
  "😀".repeat(128),
  "😀".repeat(129),
  -1,
  0,
  1.5,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  86_400_001,
  true,
  "GET",
  "get",
  "OTHER",
  "A".repeat(17),
  "ok",
  "cancelled",
  "blocked",
  "http",
  "ftp",
  65_536,
  599,
  600,
  99,
  "00000000-0000-0000-0000-000000000000",
  "0193a0b4-1c2d-0e8f-9a0b-1c2d3e4f5a6b",
  "0193A0B4-1C2D-7E8F-9A0B-1C2D3E4F5A6B",
  "not-a-uuid",
  [],
  {},
  "x".repeat(2049),
];

/** Every field of each event set to every hostile value, one at a time, plus extra and missing keys. */
function variants(): unknown[] {
  const out: unknown[] = [http, tool, null, [], "event", { ...http, type: "other" }];
  for (const base of [http, tool] as Record<string, unknown>[]) {
    for (const key of Object.keys(base)) {
      for (const value of hostileValues) {
        const copy = { ...base, [key]: value };
        if (value === undefined) delete copy[key];
        out.push(copy);
      }
    }
    out.push({ ...base, extra: 1 });
    out.push({ ...base, __proto__: { id: "x" } });
  }
  return out;
}

describe("validateEvent", () => {
  it("decides every variant exactly as the zod schema does", () => {
    const all = variants();
    expect(all.length).toBeGreaterThan(900);
    for (const raw of all) {
      const zod = ZAgentEvent.safeParse(raw).success;
      expect({ raw, ok: validateEvent(raw).ok }).toEqual({ raw, ok: zod });
    }
  });

  it("rejects with zod's message naming the field", () => {
    expect(validateEvent({ ...http, port: 0 })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^port: /),
    });
  });
});
