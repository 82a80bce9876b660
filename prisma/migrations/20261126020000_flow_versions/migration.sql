-- Each org's flows, versioned: every change is a new row; the highest version is in force.
CREATE TABLE "flow_versions" (
    "org_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_versions_pkey" PRIMARY KEY ("org_id", "version")
);
ALTER TABLE "flow_versions" ADD CONSTRAINT "flow_versions_org_id_fkey"
    FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow_versions" ADD CONSTRAINT "flow_versions_created_by_id_fkey"
    FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
