"use client";

import type { TEventsPage, TLiveEvent, TLiveFilter } from "@lunar/shared";
import { useEffect, useState } from "react";
import { apiFetch } from "@/lib/api-client";
import { mergeLiveEvents } from "../lib/merge-live-events";

const KEEP = 500;
/** Stored events shown when the stream opens (and again after a reconnect, to fill the gap). */
const HISTORY = 100;
export type LiveStatus = "connecting" | "live" | "reconnecting";

/**
 * The newest matching events, newest first: the last stored ones (GET /api/events) as soon as
 * the stream is subscribed, then what /api/live streams (EventSource reconnects by itself).
 * History is fetched after the subscription is in place, so nothing falls between the two; what
 * both return is shown once.
 */
export function useLiveEvents(filter: TLiveFilter) {
  const [events, setEvents] = useState<TLiveEvent[]>([]);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const query = new URLSearchParams(
    Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();

  useEffect(() => {
    let current = true;
    // A new filter is a new stream: not live until its server says so.
    setStatus("connecting");
    setEvents([]);
    const add = (incoming: TLiveEvent[]) =>
      setEvents((previous) => mergeLiveEvents(previous, incoming, KEEP));
    const source = new EventSource(`/api/live${query ? `?${query}` : ""}`);
    // "ready" comes once the server has subscribed this stream: only then is it live.
    source.addEventListener("ready", () => {
      setStatus("live");
      const historyQuery = new URLSearchParams(query);
      historyQuery.set("limit", String(HISTORY));
      apiFetch<TEventsPage>(`/api/events?${historyQuery}`).then(
        (page) => current && add(page.events),
        // The stream goes on without history; the next reconnect tries again.
        () => {},
      );
    });
    // Also how a stream the server cut off ends (this tab stopped reading): EventSource
    // reconnects by itself after the server's `retry`, and "ready" fetches history again.
    source.onerror = () => setStatus("reconnecting");
    source.addEventListener("events", (message) => {
      add(JSON.parse((message as MessageEvent<string>).data) as TLiveEvent[]);
    });
    return () => {
      current = false;
      source.close();
    };
  }, [query]);

  return { events, status };
}
