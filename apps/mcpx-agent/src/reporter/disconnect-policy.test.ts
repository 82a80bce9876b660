import { CLOSE_CODES } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { nextStepAfter } from "./disconnect-policy";

const closed = (code: number, reason = "") => nextStepAfter({ kind: "closed", code, reason });

describe("what the reporter does after a connection ends", () => {
  it("stops for good on a revoked key, with a message saying what to do", () => {
    const step = closed(CLOSE_CODES.keyRevoked, "API key revoked");
    expect(step.action).toBe("stop");
    expect(step.error).toMatch(/API key revoked.*new key.*LUNAR_API_KEY.*restart/);
  });

  it("stops when replaced by another connection with the same agent id", () => {
    expect(closed(CLOSE_CODES.replaced)).toMatchObject({
      action: "stop",
      error: expect.stringMatching(/took over/),
    });
  });

  it("stops and asks for an upgrade when the gateway does not speak its protocol", () => {
    const step = closed(CLOSE_CODES.unsupportedProtocol, "this gateway speaks 2");
    expect(step).toMatchObject({ action: "stop" });
    expect(step.error).toMatch(/this gateway speaks 2.*upgrade the agent/);
  });

  it.each([
    CLOSE_CODES.goingAway,
    CLOSE_CODES.messageTooBig,
    CLOSE_CODES.badFrames,
    CLOSE_CODES.helloTimeout,
    CLOSE_CODES.slowConsumer,
    1006,
  ])("reconnects with backoff after close %i", (code) => {
    expect(closed(code)).toMatchObject({ action: "retry", wait: "backoff" });
  });

  it("does not call a gateway shutdown an error", () => {
    expect(closed(CLOSE_CODES.goingAway, "gateway shutting down").error).toBeNull();
  });

  it("waits long after HTTP 401 and says the API key was rejected, with the gateway's reason", () => {
    const step = nextStepAfter({ kind: "refused", status: 401, detail: "Unknown API key" });
    expect(step).toEqual({
      action: "retry",
      wait: "auth",
      error: "API key rejected by the gateway: Unknown API key (check LUNAR_API_KEY)",
    });
  });

  it("backs off normally after other refusals and unreachable gateways", () => {
    expect(nextStepAfter({ kind: "refused", status: 503, detail: "shutting down" })).toEqual({
      action: "retry",
      wait: "backoff",
      error: "the gateway refused the connection: HTTP 503: shutting down",
    });
    expect(nextStepAfter({ kind: "unreachable", message: "connect ECONNREFUSED" })).toEqual({
      action: "retry",
      wait: "backoff",
      error: "cannot reach the gateway: connect ECONNREFUSED",
    });
  });
});
