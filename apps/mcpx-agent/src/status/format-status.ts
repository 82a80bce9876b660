import { type AgentStatus, isRunning } from "./status-file";

function gatewayLine(gateway: AgentStatus["gateway"]): string {
  if (!gateway.configured) return "not configured (events are logged locally)";
  const state = gateway.connected ? "connected" : "disconnected";
  return `${state} ${gateway.url ?? ""}${gateway.lastError ? ` – ${gateway.lastError}` : ""}`;
}

function spoolLine(spool: NonNullable<AgentStatus["spool"]>): string {
  const damaged = spool.damaged ? ` (${spool.damaged} found damaged on disk)` : "";
  return `${spool.events} events, ${spool.bytes} bytes, ${spool.dropped} dropped${damaged}`;
}

/** Why a server is not ready: why it was given up, failed attempts since, the last error. */
function troubleNote(server: AgentStatus["servers"][number]): string {
  const attempts = server.attempts ? `${server.attempts} failed attempt(s)` : null;
  const open = server.authorizationUrl ? `authorize: open ${server.authorizationUrl}` : null;
  const parts = [open, server.reason, attempts];
  const error = server.lastError !== server.reason ? server.lastError : null;
  if (error) parts.push(parts.some(Boolean) ? `last error: ${error}` : error);
  return parts.some(Boolean) ? `  (${parts.filter(Boolean).join("; ")})` : "";
}

/** A connected client session: front, session, client, negotiated protocol version, since. */
function clientLine(client: NonNullable<AgentStatus["clients"]>[number]): string {
  const where = client.session ? `${client.front} ${client.session}` : client.front;
  const who = client.client ? `${client.client.name} ${client.client.version}` : "(unnamed client)";
  return `    ${where.padEnd(20)} ${who.padEnd(30)} ${client.protocolVersion}  since ${client.connectedSince}`;
}

/** What `mcpx-agent status` prints. */
export function formatStatus(status: AgentStatus | null): string {
  if (!status) return "mcpx-agent is not running (no status file in the state directory).";
  const running = isRunning(status.pid);
  const spool = status.spool ? spoolLine(status.spool) : "–";
  return [
    `mcpx-agent ${running ? `running (pid ${status.pid})` : `not running (last seen ${status.updatedAt})`}`,
    `  agent     ${status.name} (${status.agentId})`,
    `  config    ${status.config}`,
    `  http      ${status.http ?? "off (stdio only)"}`,
    `  gateway   ${gatewayLine(status.gateway)}`,
    `  spool     ${spool}`,
    "  servers",
    ...status.servers.map((s) => {
      const restarts = s.restarts ? `  restarts ${s.restarts}` : "";
      const error = s.state !== "ready" ? troubleNote(s) : "";
      const version = s.protocolVersion ? ` ${s.protocolVersion}` : "";
      return `    ${s.name.padEnd(20)} ${s.state.padEnd(10)} ${String(s.tools).padStart(3)} tools  ${s.transport ?? ""}${version}${restarts}${error}`;
    }),
    // Status files of older agents have no clients.
    ...(status.clients
      ? ["  clients", ...(status.clients.length ? status.clients.map(clientLine) : ["    none"])]
      : []),
  ].join("\n");
}
