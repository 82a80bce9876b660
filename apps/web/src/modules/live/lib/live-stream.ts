import type { TLiveFilter } from "@lunar/shared";
import { logger } from "@/lib/logger";
import { eventsMessages } from "./events-messages";
import { liveHub } from "./live-hub";

const HEARTBEAT_MS = 15_000;

/**
 * Bytes a live-log reader may leave unread in its stream before it is cut off. A browser that
 * keeps up leaves a few KiB; one that stopped reading (a frozen tab, a client that never reads)
 * would otherwise keep every batch its org stores: 4 such readers took the web process from
 * 243 MB to 1.5 GB, and the memory stayed. Past the bound the stream is errored, which drops its
 * queue at once and ends the response (nothing more is queued first: it would not be read); the
 * browser's EventSource reconnects after `retry` and fetches history again. One batch is always
 * taken by an empty queue, and Node's socket holds about two messages more (events-messages.ts).
 */
export const MAX_UNREAD_BYTES = 1024 * 1024;

let readersCutOff = 0;

/** A server-sent-events response streaming one org's matching events until the browser leaves. */
export async function liveStream(orgId: string, filter: TLiveFilter): Promise<Response> {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let ended = false;

  const end = () => {
    ended = true;
    clearInterval(heartbeat);
    unsubscribe?.();
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const unread = () => MAX_UNREAD_BYTES - (controller.desiredSize ?? 0);
        // All of a write's messages, or none when they would take the unread bytes past the bound.
        const write = (messages: string[]) => {
          if (ended) return;
          const chunks = messages.map((message) => encoder.encode(message));
          const bytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
          if (unread() > 0 && unread() + bytes > MAX_UNREAD_BYTES) return cutOff();
          for (const chunk of chunks) controller.enqueue(chunk);
        };
        const cutOff = () => {
          readersCutOff++;
          logger().warn(
            { orgId, unreadBytes: unread(), readersCutOff },
            "live-log reader cut off: it stopped reading",
          );
          end();
          controller.error(new DOMException("the reader stopped reading", "AbortError"));
        };

        write(["retry: 3000\n: connected\n\n"]);
        const remove = await liveHub().subscribe({
          orgId,
          filter,
          send: (events) => write(eventsMessages(events)),
        });
        if (ended) return remove();
        unsubscribe = remove;
        write(["event: ready\ndata: {}\n\n"]);
        heartbeat = setInterval(() => write([": ping\n\n"]), HEARTBEAT_MS);
      },
      cancel: end,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: MAX_UNREAD_BYTES }),
  );
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
