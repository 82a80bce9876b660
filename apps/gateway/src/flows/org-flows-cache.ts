import { currentFlows } from "@lunar/db/postgres";
import { type CompiledFlows, compileFlows, loadFlowsDocument } from "@lunar/shared";
import type pg from "pg";

/**
 * Each org's current flows, compiled once per version for the re-check of reported calls.
 * Dropped when the org's flows change (the same NOTIFY that pushes them to agents).
 */
export class OrgFlowsCache {
  private readonly entries = new Map<string, Promise<CompiledFlows | null>>();
  private readonly settled = new Map<string, CompiledFlows | null>();

  constructor(private readonly pool: pg.Pool) {}

  get(orgId: string): Promise<CompiledFlows | null> {
    let entry = this.entries.get(orgId);
    if (!entry) {
      entry = this.load(orgId);
      this.entries.set(orgId, entry);
      // A failed load is not cached: the next batch tries again.
      entry.then(
        (flows) => {
          if (this.entries.get(orgId) === entry) this.settled.set(orgId, flows);
        },
        () => this.entries.delete(orgId),
      );
    }
    return entry;
  }

  /**
   * The compiled flows if already loaded, else null while a load starts: the ingest path must
   * not wait (a batch read before a SIGTERM drain has to be queued at once).
   */
  peek(orgId: string): CompiledFlows | null | undefined {
    const entry = this.settled.get(orgId);
    if (entry === undefined) void this.get(orgId);
    return entry;
  }

  invalidate(orgId: string): void {
    this.settled.delete(orgId);
    this.entries.delete(orgId);
  }

  private async load(orgId: string): Promise<CompiledFlows | null> {
    const flows = await currentFlows(this.pool, orgId);
    const load = loadFlowsDocument(flows.document);
    return load.ok ? compileFlows(load.document) : null;
  }
}
