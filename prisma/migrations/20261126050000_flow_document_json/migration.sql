-- jsonb reorders object keys; flows are an ordered mapping (the first allow Filter names the
-- allowlist in rule ids, and the editor shows flows in the order they were written).
ALTER TABLE "flow_versions" ALTER COLUMN "document" TYPE JSON USING "document"::json;
