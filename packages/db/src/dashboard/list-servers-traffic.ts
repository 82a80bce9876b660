import { histogramPercentile, type TServerSummary, type TTrafficWindow } from "@lunar/shared";
import type { Db } from "../client";
import { isAgentConnected, readAgentServers } from "./agent-fields";
import { histogramsFromRows } from "./histogram-rows";
import { MAX_AGENTS_LISTED } from "./list-agents";
import { trafficRollups } from "./traffic-rollups";

/** Servers listed at most: agents can report any server name, so the list is bounded. */
export const MAX_SERVERS_LISTED = 1_000;

/** Unknown hosts named per server; the count covers them all. */
const UNKNOWN_HOST_NAMES = 5;

interface OutboundRow {
  server: string;
  calls: number;
  errors: number;
  blocked: number;
  hosts: number;
  unknown_hosts: number;
  unknown_host_names: string[] | null;
}

/**
 * Every MCP server of an org: the ones named in its agents' last hello, and the ones with traffic
 * in the window (rollups read as for the providers page, see trafficRollups). Per server: its
 * agents and transports, tool calls with latency percentiles (histograms merged in SQL), and
 * outbound calls with the distinct hosts called and how many of them are still unknown.
 * Servers calling unknown hosts first, then by name.
 */
export async function listServersTraffic(
  db: Db,
  orgId: string,
  window: TTrafficWindow = "24h",
  now = new Date(),
): Promise<{ servers: TServerSummary[]; truncated: boolean }> {
  const tools = trafficRollups(orgId, "tool_call", window, now);
  const http = trafficRollups(orgId, "http_call", window, now);
  const [agents, toolTotals, toolBuckets, outbound] = await Promise.all([
    db.agent.findMany({
      where: { orgId },
      orderBy: [{ lastSeenAt: "desc" }],
      take: MAX_AGENTS_LISTED,
      select: { id: true, name: true, servers: true, connectionId: true, lastSeenAt: true },
    }),
    db.$queryRaw<{ server: string; calls: number; errors: number }[]>`
      SELECT server, sum(count)::float8 AS calls, sum(errors)::float8 AS errors
      FROM (${tools}) r
      GROUP BY server`,
    db.$queryRaw<{ server: string; bucket: number; n: number }[]>`
      SELECT r.server, h.i::int - 1 AS bucket, sum(h.n)::float8 AS n
      FROM (${tools}) r CROSS JOIN LATERAL unnest(r.histogram) WITH ORDINALITY AS h(n, i)
      WHERE h.n <> 0
      GROUP BY r.server, h.i`,
    // Summed per host first, so each host meets its provider row once. A host without one
    // (never expected: the ingest writes both together) counts as unknown: nobody decided it.
    db.$queryRaw<OutboundRow[]>`
      WITH per_host AS (
        SELECT server, host, sum(count) AS calls, sum(errors) AS errors, sum(blocked) AS blocked
        FROM (${http}) r
        GROUP BY server, host
      )
      SELECT s.server, sum(s.calls)::float8 AS calls, sum(s.errors)::float8 AS errors,
             sum(s.blocked)::float8 AS blocked, count(*)::int AS hosts,
             count(*) FILTER (WHERE coalesce(p.status, 'unknown') = 'unknown')::int
               AS unknown_hosts,
             (array_agg(s.host ORDER BY s.host)
               FILTER (WHERE coalesce(p.status, 'unknown') = 'unknown'))[1:${UNKNOWN_HOST_NAMES}]
               AS unknown_host_names
      FROM per_host s
      LEFT JOIN providers p ON p.org_id = ${orgId}::uuid AND p.host = s.host
      GROUP BY s.server`,
  ]);

  const servers = new Map<string, TServerSummary>();
  const serverNamed = (name: string): TServerSummary => {
    let server = servers.get(name);
    if (!server) {
      server = {
        name,
        transports: [],
        agents: [],
        toolCalls: { count: 0, errors: 0, p50Ms: null, p95Ms: null },
        outbound: {
          calls: 0,
          errors: 0,
          blocked: 0,
          hosts: 0,
          unknownHosts: 0,
          unknownHostNames: [],
        },
      };
      servers.set(name, server);
    }
    return server;
  };

  for (const agent of agents) {
    const connected = isAgentConnected(agent, now);
    for (const { name, transport } of readAgentServers(agent.servers)) {
      const server = serverNamed(name);
      if (transport !== "" && !server.transports.includes(transport)) {
        server.transports.push(transport);
      }
      // A hello could name a server twice: the agent still runs it once.
      if (!server.agents.some((listed) => listed.id === agent.id)) {
        server.agents.push({ id: agent.id, name: agent.name, connected });
      }
    }
  }
  for (const row of toolTotals) {
    const { toolCalls } = serverNamed(row.server);
    toolCalls.count = row.calls;
    toolCalls.errors = row.errors;
  }
  for (const [name, histogram] of histogramsFromRows(toolBuckets, "server")) {
    const { toolCalls } = serverNamed(name);
    toolCalls.p50Ms = histogramPercentile(histogram, 0.5);
    toolCalls.p95Ms = histogramPercentile(histogram, 0.95);
  }
  for (const row of outbound) {
    serverNamed(row.server).outbound = {
      calls: row.calls,
      errors: row.errors,
      blocked: row.blocked,
      hosts: row.hosts,
      unknownHosts: row.unknown_hosts,
      unknownHostNames: row.unknown_host_names ?? [],
    };
  }

  const sorted = [...servers.values()].sort(
    (a, b) =>
      Number(b.outbound.unknownHosts > 0) - Number(a.outbound.unknownHosts > 0) ||
      a.name.localeCompare(b.name),
  );
  for (const server of sorted) {
    server.transports.sort();
    server.agents.sort(
      (a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name),
    );
  }
  return {
    servers: sorted.slice(0, MAX_SERVERS_LISTED),
    truncated: sorted.length > MAX_SERVERS_LISTED,
  };
}
