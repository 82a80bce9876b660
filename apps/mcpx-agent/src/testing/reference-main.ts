// `node --import tsx reference-main.ts PORT`: the reference server over Streamable HTTP on
// 127.0.0.1:PORT (for the conformance suite run by scripts/test.ts).
import { startReferenceHttp } from "./reference-http";

const reference = await startReferenceHttp({ port: Number(process.argv[2] ?? 0) });
process.stdout.write(`${reference.url}\n`);
