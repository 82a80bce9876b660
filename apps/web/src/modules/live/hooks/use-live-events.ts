"use client";

import type { TLiveEvent, TLiveFilter } from "@lunar/shared";
import { useEffect, useState } from "react";

const KEEP = 500;
export type LiveStatus = "connecting" | "live" | "reconnecting" | "dropped";

/** The newest events from /api/live (EventSource reconnects by itself), newest first. */
export function useLiveEvents(filter: TLiveFilter) {
  const [events, setEvents] = useState<TLiveEvent[]>([]);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const query = new URLSearchParams(
    Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();

  useEffect(() => {
    // A new filter is a new stream: not live until its server says so.
    setStatus("connecting");
    setEvents([]);
    const source = new EventSource(`/api/live${query ? `?${query}` : ""}`);
    // "ready" comes once the server has subscribed this stream: only then is it live.
    source.addEventListener("ready", () => setStatus("live"));
    source.onerror = () => setStatus("reconnecting");
    source.addEventListener("events", (message) => {
      const batch = JSON.parse((message as MessageEvent<string>).data) as TLiveEvent[];
      setEvents((previous) => [...batch.reverse(), ...previous].slice(0, KEEP));
    });
    source.addEventListener("dropped", () => {
      setStatus("dropped");
      source.close();
    });
    return () => source.close();
  }, [query]);

  return { events, status };
}
