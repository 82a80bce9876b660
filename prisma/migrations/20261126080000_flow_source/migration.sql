-- The YAML as its author wrote it (comments, order, quoting), shown back in the editor and edited
-- in place by Approve and Block. NULL for versions published as a plain document only.
ALTER TABLE "flow_versions" ADD COLUMN "source" TEXT;
