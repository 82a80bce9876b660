import { AppError } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "./read-json-body";

function post(
  body: BodyInit,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return new Request("http://localhost/api/x", { method: "POST", body, headers });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof AppError ? error.code : "other";
  }
}

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
  });

  it("accepts a charset parameter on the content type", async () => {
    const request = post('{"a":1}', { "content-type": "application/json; charset=utf-8" });
    expect(await readJsonBody(request)).toEqual({ a: 1 });
  });

  it("refuses a content type that is not JSON", async () => {
    expect(await codeOf(readJsonBody(post("{}", { "content-type": "text/plain" })))).toBe(
      "unsupported_media_type",
    );
    expect(await codeOf(readJsonBody(post("{}", { "content-type": "application/jsonx" })))).toBe(
      "unsupported_media_type",
    );
  });

  it("refuses malformed JSON", async () => {
    expect(await codeOf(readJsonBody(post('{"a":')))).toBe("invalid_json");
  });

  it("refuses a body over the limit even when no Content-Length says so", async () => {
    const big = "x".repeat(MAX_JSON_BODY_BYTES + 1);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`"${big}"`));
        controller.close();
      },
    });
    const request = new Request("http://localhost/api/x", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(request))).toBe("payload_too_large");
  });

  it("accepts a body exactly at the limit", async () => {
    const value = "x".repeat(MAX_JSON_BODY_BYTES - 2);
    expect(await readJsonBody(post(`"${value}"`))).toBe(value);
  });

  it("takes a route's own limit", async () => {
    const value = "x".repeat(MAX_JSON_BODY_BYTES * 2);
    expect(await codeOf(readJsonBody(post(`"${value}"`)))).toBe("payload_too_large");
    expect(await readJsonBody(post(`"${value}"`), MAX_JSON_BODY_BYTES * 4)).toBe(value);
    expect(await codeOf(readJsonBody(post(`"${value}"`), MAX_JSON_BODY_BYTES))).toBe(
      "payload_too_large",
    );
  });
});
