-- Gateway ingest: agents, events (time-partitioned), the dedup ledger, 1-minute rollups,
-- providers and endpoints.

CREATE TYPE "event_kind" AS ENUM ('tool_call', 'http_call');
CREATE TYPE "provider_status" AS ENUM ('unknown', 'approved', 'blocked');

CREATE TABLE "agents" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "servers" JSONB NOT NULL DEFAULT '[]',
    "api_key_id" UUID,
    "connection_id" TEXT,
    "flows_version" INTEGER,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "agents_pkey" PRIMARY KEY ("org_id", "id")
);
ALTER TABLE "agents" ADD CONSTRAINT "agents_org_id_fkey"
    FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "agents" ADD CONSTRAINT "agents_api_key_id_fkey"
    FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Partitioned by day on occurred_at (the agent's timestamp clamped to receive time); the
-- gateway creates partitions ahead and drops expired ones. No foreign keys: they would cost
-- every ingest a lookup, and retention removes rows anyway.
CREATE TABLE "events" (
    "org_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "kind" "event_kind" NOT NULL,
    "server" TEXT NOT NULL,
    "correlation_id" TEXT,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "tool" TEXT,
    "outcome" TEXT,
    "error_type" TEXT,
    "argument_bytes" INTEGER,
    "method" TEXT,
    "scheme" TEXT,
    "host" TEXT,
    "port" INTEGER,
    "path" TEXT,
    "endpoint" TEXT,
    "status" INTEGER,
    "bytes_in" BIGINT,
    "bytes_out" BIGINT,
    "decision" TEXT,
    "rule" TEXT,
    "network_error" TEXT,
    "inspected" BOOLEAN,
    -- Also the read path: one org's events in a time range (live logs find a batch by its org
    -- and time range, then filter on batch_id). One index keeps ingest cheap.
    CONSTRAINT "events_pkey" PRIMARY KEY ("org_id", "occurred_at", "event_id")
) PARTITION BY RANGE ("occurred_at");

-- Exactly-once storage: an event id is stored once per org, whatever partition its clamped
-- timestamp falls in. Pruned with the retention window.
CREATE TABLE "event_ids" (
    "org_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "event_ids_pkey" PRIMARY KEY ("org_id", "event_id")
);
CREATE INDEX "event_ids_received_at_idx" ON "event_ids"("received_at");

-- One row per org, minute, kind, server, host, method and endpoint (tool name for tool calls;
-- host and method are '' for them). histogram uses the bucket layout of
-- packages/shared/src/traffic/latency-histogram.ts.
CREATE TABLE "rollups_1m" (
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
    CONSTRAINT "rollups_1m_pkey" PRIMARY KEY ("org_id", "bucket", "kind", "server", "host", "method", "endpoint")
);
CREATE INDEX "rollups_1m_bucket_idx" ON "rollups_1m"("bucket");

CREATE TABLE "providers" (
    "org_id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "status" "provider_status" NOT NULL DEFAULT 'unknown',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "providers_pkey" PRIMARY KEY ("org_id", "host")
);
CREATE INDEX "providers_org_id_domain_idx" ON "providers"("org_id", "domain");
ALTER TABLE "providers" ADD CONSTRAINT "providers_org_id_fkey"
    FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "endpoints" (
    "org_id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("org_id", "host", "method", "template")
);
ALTER TABLE "endpoints" ADD CONSTRAINT "endpoints_org_id_fkey"
    FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
