import type { TLiveEvent } from "@lunar/shared";

/** Characters of event JSON per `events` message (at most 3 bytes each in UTF-8). */
export const MAX_MESSAGE_CHARS = 32 * 1024;

/**
 * A batch of events as server-sent `events` messages of at most MAX_MESSAGE_CHARS of JSON each
 * (one event may pass it alone): a batch can hold 1,000 events, and small chunks keep what the
 * socket holds beyond the stream's own byte bound small.
 */
export function eventsMessages(events: TLiveEvent[]): string[] {
  const messages: string[] = [];
  let parts: string[] = [];
  let length = 0;
  const flush = () => {
    if (parts.length > 0) messages.push(`event: events\ndata: [${parts.join(",")}]\n\n`);
    parts = [];
    length = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    if (length + json.length > MAX_MESSAGE_CHARS) flush();
    parts.push(json);
    length += json.length + 1;
  }
  flush();
  return messages;
}
