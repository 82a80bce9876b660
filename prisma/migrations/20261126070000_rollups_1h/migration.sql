-- Hourly rollups for long dashboard windows, compacted from rollups_1m by the gateway's
-- maintenance (packages/db/src/events/compact-rollups.ts), never written by the ingest itself.

-- Same key columns and measures as rollups_1m; bucket is the UTC hour.
CREATE TABLE "rollups_1h" (
    "org_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "kind" "event_kind" NOT NULL,
    "server" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "blocked" INTEGER NOT NULL,
    "duration_sum_ms" DOUBLE PRECISION NOT NULL,
    "histogram" INTEGER[],
    CONSTRAINT "rollups_1h_pkey" PRIMARY KEY ("org_id", "bucket", "kind", "server", "host", "method", "endpoint")
);
CREATE INDEX "rollups_1h_bucket_idx" ON "rollups_1h"("bucket");

-- Hours that late events (older than the compaction's sliding window) changed in rollups_1m:
-- written by the ingest's rollup statement, recomputed and deleted by the next compaction. The
-- ingest updates marked_at of an existing marker (rather than leaving it alone) so that its row
-- lock makes a compaction deleting the marker wait for that ingest's commit.
CREATE TABLE "rollup_dirty_hours" (
    "org_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rollup_dirty_hours_pkey" PRIMARY KEY ("org_id", "hour")
);
