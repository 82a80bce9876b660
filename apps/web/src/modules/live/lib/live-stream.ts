import type { TLiveFilter } from "@lunar/shared";
import { liveHub } from "./live-hub";

const HEARTBEAT_MS = 15_000;
/** Chunks a browser may leave unread before it is dropped. */
const MAX_UNREAD_CHUNKS = 256;

/** A server-sent-events response streaming one org's matching events until the browser leaves. */
export async function liveStream(orgId: string, filter: TLiveFilter): Promise<Response> {
  const encoder = new TextEncoder();
  let unsubscribe: () => void = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const write = (text: string) => controller.enqueue(encoder.encode(text));
        write("retry: 3000\n: connected\n\n");
        unsubscribe = await liveHub().subscribe({
          orgId,
          filter,
          send(events) {
            if ((controller.desiredSize ?? 0) <= 0) return false;
            write(`event: events\ndata: ${JSON.stringify(events)}\n\n`);
            return true;
          },
          drop() {
            clearInterval(heartbeat);
            try {
              write('event: dropped\ndata: {"reason":"too slow"}\n\n');
              controller.close();
            } catch {
              // already closed by the browser
            }
          },
        });
        write("event: ready\ndata: {}\n\n");
        heartbeat = setInterval(() => {
          try {
            write(": ping\n\n");
          } catch {
            clearInterval(heartbeat);
          }
        }, HEARTBEAT_MS);
      },
      cancel() {
        clearInterval(heartbeat);
        unsubscribe();
      },
    },
    { highWaterMark: MAX_UNREAD_CHUNKS },
  );
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
