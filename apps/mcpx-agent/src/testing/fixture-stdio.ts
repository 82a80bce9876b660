// Entry point: `node --import tsx fixture-stdio.ts <name> [--hostile-tool-name]` runs the fixture
// server over stdio.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { buildFixtureServer } from "./fixture-server";

const hostileToolName = process.argv.includes("--hostile-tool-name");
await buildFixtureServer(process.argv[2] ?? "fixture", { hostileToolName }).connect(
  new StdioServerTransport(),
);
