// Entry point: `node --import tsx fixture-stdio.ts <name>` runs the fixture server over stdio.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { buildFixtureServer } from "./fixture-server";

await buildFixtureServer(process.argv[2] ?? "fixture").connect(new StdioServerTransport());
