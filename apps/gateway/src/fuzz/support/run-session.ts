import { randomUUID } from "node:crypto";
import type { SessionSpec } from "../arbitraries/frames";
import { RecordingAgent } from "./recording-agent";
import { agentFrameOf, type RunContext, renderFrame } from "./render-frame";

/** An events frame the gateway must ack: valid, and sent after a hello it accepted. */
export interface ExpectedBatch {
  seq: number;
  events: unknown[];
}

export interface SessionRecord {
  spec: SessionSpec;
  agent: RecordingAgent;
  expected: ExpectedBatch[];
}

/** How long a session waits for its pong and acks once everything is sent. */
const SETTLE_MS = 5_000;

/**
 * Sends a session's frames as fast as the socket takes them, working out as it goes which
 * batches the gateway owes an ack (by parsing each frame with the shared schema, as the gateway
 * does). Then, if the connection is still open, proves the gateway read everything (a ping
 * after it: frames are read in order) and waits for the acks owed. The socket is left open for
 * the checks; the caller closes it.
 */
export async function runSession(
  port: number,
  apiKey: string,
  spec: SessionSpec,
  run: RunContext,
  record: (session: SessionRecord) => void,
): Promise<void> {
  const agent = await RecordingAgent.connect(port, apiKey);
  const session: SessionRecord = { spec, agent, expected: [] };
  record(session);
  const agentId = randomUUID();
  // "none" until a schema-valid hello: then "accepted" if it offers version 1, else the
  // gateway closes (4426); any other valid frame before it closes the connection (4400).
  let hello: "none" | "accepted" | "closing" = "none";
  for (const step of spec.steps) {
    if (agent.closed) break;
    const rendered = renderFrame(step, agentId, run);
    agent.send(rendered.data, rendered.binary);
    const frame = agentFrameOf(rendered);
    if (frame === null || hello === "closing") continue;
    if (frame.type === "hello") {
      if (hello === "none") hello = frame.protocols.includes(1) ? "accepted" : "closing";
    } else if (hello === "none") {
      hello = "closing";
    } else if (frame.type === "events") {
      session.expected.push({ seq: frame.seq, events: frame.events });
    }
  }
  if (agent.closed || hello === "closing") return;
  if (hello === "none") {
    // Nothing valid yet: a hello now must still be welcomed, whatever came before it.
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId,
      name: "fuzz-agent",
      version: "0.0.1",
      servers: [],
      flowsVersion: null,
    });
  }
  const ts = Math.random();
  agent.sendJson({ type: "ping", ts });
  await agent.until(
    () =>
      agent.closed || agent.frames.some((f) => f.type === "pong" && f.ts === ts) ? true : undefined,
    "the pong after the session's last frame",
    SETTLE_MS,
  );
  const owed = session.expected.length;
  await agent.until(
    () => (agent.closed || agent.acks().length >= owed ? true : undefined),
    `${owed} acks`,
    SETTLE_MS,
  );
}
