import type { Metadata } from "next";
import { LiveLogs } from "@/modules/live/components/live-logs";
import { liveFilterFromParams, liveLogsUrl } from "@/modules/live/lib/live-filter-from-params";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Live logs" };

export default async function LiveLogsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const initialFilter = liveFilterFromParams(await searchParams);
  return (
    <>
      <PageHeader
        title="Live logs"
        description="Tool calls and outbound calls as they happen, after the last ones stored, filterable by MCP server, host, endpoint and decision."
      />
      {/* Keyed by the filter: a link to another filter starts a new stream, not the old one. */}
      <LiveLogs key={liveLogsUrl(initialFilter)} initialFilter={initialFilter} />
    </>
  );
}
