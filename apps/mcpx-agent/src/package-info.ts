import { readFileSync } from "node:fs";
import { z } from "zod";

const ZPackageInfo = z.object({ name: z.string(), version: z.string() });
export type TPackageInfo = z.infer<typeof ZPackageInfo>;

/**
 * The agent's package.json name and version. This file sits one folder below the package root
 * both as source (src/package-info.ts) and bundled (dist/cli.js), so the same relative URL works.
 */
export const PACKAGE_INFO: TPackageInfo = ZPackageInfo.parse(
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")),
);
