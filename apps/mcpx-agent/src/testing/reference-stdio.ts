// `node --import tsx reference-stdio.ts [--extras] [--start-delay-ms N]`: the reference server
// over stdio; with a start delay it reads nothing (so answers no initialize) for N ms, like a
// server that is slow to start.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { buildReferenceServer } from "./reference-server";

const delayAt = process.argv.indexOf("--start-delay-ms");
const delay = delayAt > 0 ? Number(process.argv[delayAt + 1]) : 0;
if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
const { server } = buildReferenceServer({ extras: process.argv.includes("--extras") });
await server.connect(new StdioServerTransport());
