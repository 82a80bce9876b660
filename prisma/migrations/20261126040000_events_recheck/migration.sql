-- The gateway's re-check of each reported outbound call against the org's current flows (URL and
-- method only): 'agree', 'disagree' (an agent on stale flows, or tampered), or 'inconclusive'
-- (the agent's rule looked at what the gateway cannot see: headers, a resolved address, a
-- built-in rule). NULL for tool calls.
ALTER TABLE "events" ADD COLUMN "recheck" TEXT;
