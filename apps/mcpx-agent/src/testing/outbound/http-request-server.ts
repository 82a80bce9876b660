// An unmodified MCP server whose outbound calls use http.request / https.request directly, and
// bring their own keep-alive Agent (as SDKs often do), which the interception must still cover.
// Entry point: `node --import tsx http-request-server.ts`.
import http from "node:http";
import https from "node:https";
import { runOutboundServer } from "./outbound-server";

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

await runOutboundServer("http.request", ({ url, method, body }) => {
  const secure = new URL(url).protocol === "https:";
  const request = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: secure ? httpsAgent : httpAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
});
