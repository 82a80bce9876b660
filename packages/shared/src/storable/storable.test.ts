import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { httpCall, toolCall } from "../testing";
import { toStorableEvent, toStorableServers } from "./storable-event";
import {
  isStorableText,
  MAX_STORABLE_INT4,
  REPLACEMENT_CHARACTER,
  toStorableInt4,
  toStorableText,
  ZStorableText,
} from "./storable-text";

// Strings built from single UTF-16 code units reach every lone surrogate and NUL.
const anyText = fc.string({ unit: "binary", maxLength: 400 });
const hostileText = fc.oneof(
  anyText,
  fc.string({ unit: fc.constantFrom("\u0000", "\ud800", "\udfff", "a", "😀"), maxLength: 50 }),
);

describe("storable text", () => {
  it("toStorableText: whatever goes in, Postgres can hold what comes out, within the limit", () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 300 }), (value, max) => {
        const out = toStorableText(value, max);
        expect(isStorableText(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(toStorableText(out, max)).toBe(out);
      }),
    );
  });

  it("toStorableText leaves storable text alone and replaces NUL and lone surrogates one for one", () => {
    expect(toStorableText("slack.com")).toBe("slack.com");
    expect(toStorableText("a\u0000b\ud800c")).toBe(
      `a${REPLACEMENT_CHARACTER}b${REPLACEMENT_CHARACTER}c`,
    );
    // A pair at the cut is dropped whole, never split.
    expect(toStorableText("ab😀", 3)).toBe("ab");
  });

  it("toStorableInt4 saturates into INTEGER", () => {
    expect(toStorableInt4(2 ** 31)).toBe(MAX_STORABLE_INT4);
    expect(toStorableInt4(Number.MAX_SAFE_INTEGER)).toBe(MAX_STORABLE_INT4);
    expect(toStorableInt4(-5)).toBe(0);
    expect(toStorableInt4(42)).toBe(42);
  });

  it("ZStorableText refuses NUL and lone surrogates with a message that says which", () => {
    expect(ZStorableText.safeParse("fine").success).toBe(true);
    expect(ZStorableText.safeParse("a\u0000").error?.issues[0]?.message).toMatch(/NUL/);
    expect(ZStorableText.safeParse("a\udc00").error?.issues[0]?.message).toMatch(/surrogate/);
  });
});

describe("toStorableEvent", () => {
  it("returns the same object when nothing needs repair", () => {
    const event = httpCall();
    expect(toStorableEvent(event)).toBe(event);
  });

  it("cuts text that is storable but longer than the schema allows", () => {
    const tool = toStorableEvent({ ...toolCall(), tool: "t".repeat(300) });
    const http = toStorableEvent({ ...httpCall(), path: `/${"p".repeat(3_000)}` });
    expect(tool.tool).toBe("t".repeat(128));
    expect(http.path).toHaveLength(2048);
    const [server] = toStorableServers([{ name: "s".repeat(200), transport: "stdio" }]);
    expect(server?.name).toBe("s".repeat(128));
  });

  it("repairs every text field of both kinds and saturates argumentBytes", () => {
    fc.assert(
      fc.property(hostileText, hostileText, fc.nat(), (a, b, n) => {
        const tool = toStorableEvent({
          ...toolCall(),
          server: `s${a}`,
          tool: `t${b}`,
          correlationId: a,
          errorType: b,
          argumentBytes: n * 4096,
        });
        const http = toStorableEvent({
          ...httpCall(),
          server: `s${b}`,
          host: `h${a}`,
          path: `/${b}`,
          rule: a,
          networkError: b,
        });
        for (const value of Object.values({ ...tool, ...http }))
          if (typeof value === "string") expect(isStorableText(value)).toBe(true);
        expect(tool.argumentBytes).toBeLessThanOrEqual(MAX_STORABLE_INT4);
        expect(tool.tool.length).toBeLessThanOrEqual(128);
        expect(http.path.length).toBeLessThanOrEqual(2048);
      }),
    );
  });
});
