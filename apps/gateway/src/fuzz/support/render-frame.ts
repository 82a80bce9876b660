import { isUtf8 } from "node:buffer";
import { MAX_FRAME_BYTES, newEventId, type TAgentFrame, ZAgentFrame } from "@lunar/shared";
import { type EventSpec, withField } from "../arbitraries/events";
import { type FrameMutation, type FrameSpec, serverList } from "../arbitraries/frames";
import { nested } from "../arbitraries/json-text";

/** What one run has sent so far (events, for resends of the same id). */
export interface RunContext {
  sentEvents: string[];
}

export interface RenderedFrame {
  data: Buffer;
  binary: boolean;
}

/** The bytes of a frame spec; event ids are made here, fresh for every run and every shrink. */
export function renderFrame(spec: FrameSpec, agentId: string, run: RunContext): RenderedFrame {
  if (spec.kind === "bytes") return { data: Buffer.from(spec.bytes), binary: spec.binary };
  if (spec.kind === "invalid-utf8") {
    const [head, tail] = ['{"type":"ping', '","ts":1}'].map((part) => Buffer.from(part));
    return {
      data: Buffer.concat([head, Buffer.from(spec.sequence), tail] as Buffer[]),
      binary: false,
    };
  }
  return { data: Buffer.from(frameText(spec, agentId, run)), binary: false };
}

function frameText(spec: FrameSpec, agentId: string, run: RunContext): string {
  switch (spec.kind) {
    case "hello": {
      const hello = { ...spec.hello, servers: serverList(spec.hello.servers) };
      return mutate({ type: "hello", agentId, ...hello }, spec.mutation);
    }
    case "servers":
      return mutate({ type: "servers", servers: serverList(spec.servers) }, spec.mutation);
    case "events": {
      const events = spec.events.map((event) => eventText(event, run));
      const entries: [string, string][] = [
        ['"type"', '"events"'],
        ['"seq"', spec.seq],
        ['"events"', `[${events.join(",")}]`],
      ];
      return objectText(entries, spec.mutation);
    }
    case "bulk": {
      const events = Array.from({ length: spec.count }, () =>
        eventText({ kind: "valid", event: spec.event }, run),
      );
      return `{"type":"events","seq":${spec.seq},"events":[${events.join(",")}]}`;
    }
    case "control": {
      const field = { ping: "ts", flows_applied: "version", spool_dropped: "count" }[spec.type];
      return `{"type":"${spec.type}","${field}":${spec.value}}`;
    }
    case "typed":
      return objectText([['"type"', JSON.stringify(spec.type)], ...spec.fields], null);
    case "json":
      return spec.value;
    case "deep-type":
      return `{"type":${nested(spec.depth, spec.shape)}}`;
    case "text":
      return spec.text;
    case "oversized":
      return `{"type":"ping","ts":1,"pad":"${"x".repeat(MAX_FRAME_BYTES + spec.extra)}"}`;
    default:
      throw new Error(`no text for a ${spec.kind} frame`);
  }
}

function eventText(spec: EventSpec, run: RunContext): string {
  let text: string;
  if (spec.kind === "any") return spec.value;
  if (spec.kind === "resend") {
    text = run.sentEvents[spec.nth % Math.max(1, run.sentEvents.length)] ?? "null";
  } else if (spec.kind === "valid") {
    text = JSON.stringify({ id: newEventId(), ...spec.event });
  } else {
    text = withField({ id: newEventId(), ...spec.event }, spec.field, spec.value);
  }
  run.sentEvents.push(text);
  return text;
}

function mutate(frame: Record<string, unknown>, mutation: FrameMutation | null): string {
  if (mutation === null) return JSON.stringify(frame);
  return withField(frame, mutation.field, mutation.value);
}

/** An object from [key as JSON text, value as JSON text] entries, one of them mutated. */
function objectText(entries: [string, string][], mutation: FrameMutation | null): string {
  const field = mutation && JSON.stringify(mutation.field);
  const kept = entries.filter(([key]) => key !== field);
  if (field && mutation?.value != null) kept.push([field, mutation.value]);
  return `{${kept.map(([key, value]) => `${key}:${value}`).join(",")}}`;
}

/**
 * The frame the gateway reads from these bytes, by the shared schema, or null when it reads no
 * valid frame (binary, not UTF-8, over the size limit, not JSON, or not a valid frame).
 */
export function agentFrameOf(frame: RenderedFrame): TAgentFrame | null {
  if (frame.binary || frame.data.length > MAX_FRAME_BYTES || !isUtf8(frame.data)) return null;
  try {
    const parsed = ZAgentFrame.safeParse(JSON.parse(frame.data.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
