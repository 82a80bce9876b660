-- Events that passed validation but could not be stored (the ingest found the one event that
-- made its transaction fail): kept with the database's reason so the org sees what was lost and
-- why, and acked to the agent as rejected so its spool and every other batch move on.
CREATE TABLE "dead_letter_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    -- The agent's event id as sent (validated as a UUID, kept as text).
    "event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    -- The event as JSON text (escaped, so NULs and lone surrogates survive as \u escapes).
    "payload" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "dead_letter_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "dead_letter_events_org_id_received_at_idx" ON "dead_letter_events"("org_id", "received_at");

ALTER TABLE "dead_letter_events" ADD CONSTRAINT "dead_letter_events_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
