import type { AgentConnection } from "./agent-connection";

/** The open agent connections of this gateway, found by key, org or agent. */
export class ConnectionRegistry {
  private readonly all = new Set<AgentConnection>();

  add(connection: AgentConnection): void {
    this.all.add(connection);
  }

  remove(connection: AgentConnection): void {
    this.all.delete(connection);
  }

  get size(): number {
    return this.all.size;
  }

  byKey(keyId: string): AgentConnection[] {
    return [...this.all].filter((c) => c.keyId === keyId);
  }

  byOrg(orgId: string): AgentConnection[] {
    return [...this.all].filter((c) => c.orgId === orgId && c.agentId !== null);
  }

  byAgent(orgId: string, agentId: string): AgentConnection[] {
    return [...this.all].filter((c) => c.orgId === orgId && c.agentId === agentId);
  }

  list(): AgentConnection[] {
    return [...this.all];
  }
}
