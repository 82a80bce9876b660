/**
 * Jobs waiting to be written, first in first out within an org and taken round-robin across
 * orgs: an org with a large backlog shares each transaction with the others instead of making
 * them wait behind all of it.
 */
export class FairJobQueue<T extends { item: { orgId: string; events: unknown[] } }> {
  private readonly byOrg = new Map<string, T[]>();
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(job: T): void {
    const queue = this.byOrg.get(job.item.orgId);
    if (queue) queue.push(job);
    else this.byOrg.set(job.item.orgId, [job]);
    this.count++;
  }

  /** Puts jobs taken earlier back in front of their orgs' queues, in their order. */
  putBack(jobs: T[]): void {
    for (const job of [...jobs].reverse()) {
      const queue = this.byOrg.get(job.item.orgId);
      if (queue) queue.unshift(job);
      else this.byOrg.set(job.item.orgId, [job]);
      this.count++;
    }
  }

  /**
   * Takes one job per org in turn until `maxEvents` would be exceeded (at least one job, whatever
   * its size). The orgs served are moved to the back, so the next take starts with the others.
   */
  take(maxEvents: number): T[] {
    const taken: T[] = [];
    let events = 0;
    let progress = true;
    while (progress) {
      progress = false;
      for (const [orgId, queue] of this.byOrg) {
        const job = queue[0];
        if (!job) continue;
        if (taken.length > 0 && events + job.item.events.length > maxEvents) return taken;
        queue.shift();
        this.count--;
        taken.push(job);
        events += job.item.events.length;
        progress = true;
        // Map order is insertion order: re-inserting sends this org to the back of the turn.
        this.byOrg.delete(orgId);
        if (queue.length > 0) this.byOrg.set(orgId, queue);
      }
    }
    return taken;
  }
}
