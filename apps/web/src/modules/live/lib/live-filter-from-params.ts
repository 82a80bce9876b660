import { type TLiveFilter, ZLiveFilter } from "@lunar/shared";

type SearchParams = Record<string, string | string[] | undefined>;

/** The filters the live-logs form has, in the order of its fields. */
const FORM_FIELDS = ["server", "host", "endpoint", "decision"] as const;

/**
 * The live-logs filter a link asks for (`/live?server=github`): the form's fields, each kept only
 * when valid, so a bad link opens the unfiltered stream instead of an error.
 */
export function liveFilterFromParams(params: SearchParams): TLiveFilter {
  const filter: TLiveFilter = {};
  for (const field of FORM_FIELDS) {
    const value = params[field];
    if (typeof value !== "string") continue;
    const parsed = ZLiveFilter.shape[field].safeParse(value);
    if (parsed.success && parsed.data !== undefined)
      Object.assign(filter, { [field]: parsed.data });
  }
  return filter;
}

/** The URL that reopens the live logs with this filter (what the form shows is what a link gives). */
export function liveLogsUrl(filter: TLiveFilter): string {
  const query = new URLSearchParams(
    FORM_FIELDS.flatMap((field) => (filter[field] ? [[field, filter[field]]] : [])),
  ).toString();
  return query ? `/live?${query}` : "/live";
}
