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
    setEvents([]);
    const source = new EventSource(`/api/live${query ? `?${query}` : ""}`);
    source.onopen = () => setStatus("live");
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
