import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { connectionLost } from "./connection-lost";

const fetchFailed = (code: string) =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });

describe("connectionLost", () => {
  it("reads a forgotten session (404, or a 400 about the session) as lost before the server got the request", () => {
    for (const error of [
      new StreamableHTTPError(404, 'Error POSTing to endpoint: {"message":"Session not found"}'),
      new StreamableHTTPError(400, "Error POSTing to endpoint: No valid session ID provided"),
      new StreamableHTTPError(
        400,
        "Error POSTing to endpoint: Bad Request: Server not initialized",
      ),
    ])
      expect(connectionLost(error)).toMatchObject({ unsent: true });
  });

  it("reads a refused connection as unsent, a reset one as lost but maybe sent", () => {
    expect(connectionLost(fetchFailed("ECONNREFUSED"))).toMatchObject({ unsent: true });
    expect(connectionLost(fetchFailed("ECONNRESET"))).toMatchObject({ unsent: false });
    expect(connectionLost(new Error("Maximum reconnection attempts (2) exceeded."))).toMatchObject({
      unsent: false,
    });
  });

  it("leaves other errors alone: a 400 about the request, a 500, a tool's own error", () => {
    expect(connectionLost(new StreamableHTTPError(400, "Error POSTing: bad JSON"))).toBeNull();
    expect(connectionLost(new StreamableHTTPError(500, "Error POSTing: boom"))).toBeNull();
    expect(connectionLost(new Error("SSE stream disconnected: TypeError: terminated"))).toBeNull();
    expect(connectionLost("nope")).toBeNull();
  });
});
