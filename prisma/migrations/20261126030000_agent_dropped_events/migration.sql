-- Events an agent's disk spool dropped because it was full (reported with `spool_dropped`), so
-- the dashboard can show that an agent's history has gaps.
ALTER TABLE "agents" ADD COLUMN "dropped_events" INTEGER NOT NULL DEFAULT 0;
