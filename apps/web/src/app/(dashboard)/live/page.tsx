import type { Metadata } from "next";
import { LiveLogs } from "@/modules/live/components/live-logs";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Live logs" };

export default function LiveLogsPage() {
  return (
    <>
      <PageHeader
        title="Live logs"
        description="Tool calls and outbound calls as they happen, filterable by MCP server, host and decision."
      />
      <LiveLogs />
    </>
  );
}
