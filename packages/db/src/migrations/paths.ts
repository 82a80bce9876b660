import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file so scripts work from any working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const MIGRATIONS_DIR = resolve(REPO_ROOT, "prisma/migrations");
export const SCHEMA_PATH = resolve(REPO_ROOT, "prisma/schema.prisma");
