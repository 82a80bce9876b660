import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, LiveAgent } from "./agent-client";
import { createApiKey, expect, signUpThroughApi, test } from "./fixtures";
import { RawLiveReader } from "./raw-live-reader";

// A live-log reader that stops reading may leave at most MAX_UNREAD_BYTES (1 MiB,
// modules/live/lib/live-stream.ts) unread on the server; past that its response is ended. The
// kernel's socket buffers hold a few MiB more, so the org stores ~11 MiB of events here.
const BATCHES = 12;
const EVENTS_PER_BATCH = 450;
// Each event is ~2.2 KB on the stream; 450 of them stay under the agent protocol's 1 MiB frame.
const LONG_PATH = `/bulk/${"x".repeat(1_900)}`;

test("GET /api/live – a reader that stops reading is cut off past the byte bound, and another reader of the org keeps receiving", async ({
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await signUpThroughApi(request, baseURL);
  const apiKey = await createApiKey(request, baseURL);
  const session = (await request.storageState()).cookies.find((c) => c.name === "lunar_session");
  const port = Number(new URL(baseURL ?? "").port);
  const stalled = await RawLiveReader.open(port, session?.value ?? "");
  const reader = await RawLiveReader.open(port, session?.value ?? "");
  stalled.stopReading();

  const agent = await LiveAgent.connect(GATEWAY_PORTS[0] as number, apiKey, { name: "bulk" });
  const total = BATCHES * EVENTS_PER_BATCH;
  for (let batch = 0; batch < BATCHES; batch++) {
    await agent.report(
      Array.from({ length: EVENTS_PER_BATCH }, () =>
        httpCall({ host: "bulk.example", path: LONG_PATH }),
      ),
    );
  }
  // The reader that reads gets every event; by then the stalled one was handed every batch too.
  expect(await reader.until(() => reader.ids.size === total)).toBe(true);

  // The stalled reader, reading again, gets what was written before the cut and then the end:
  // the server ended its response rather than keeping the rest for it.
  expect(await stalled.readToEnd(15_000)).toBe(true);
  expect(stalled.ids.size).toBeLessThan(total);

  // The other reader was not disturbed: a call stored now still reaches it.
  const late = httpCall({ host: "late.example" });
  await agent.report([late]);
  expect(await reader.until(() => reader.ids.has(late.id))).toBe(true);
  expect(stalled.ids.has(late.id)).toBe(false);
  agent.close();
  reader.close();
});
