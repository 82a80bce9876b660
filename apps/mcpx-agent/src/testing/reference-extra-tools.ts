// The reference server's tools beyond the conformance suite's: what the agent's fidelity
// tests need (timing set by the arguments).
import { EMPTY, LOG, type ReferenceState, sleep, type ToolEntry, text } from "./reference-common";

export function extraTools(state: ReferenceState): ToolEntry[] {
  return [
    {
      tool: {
        name: "slow_progress",
        description: "Reports progress every intervalMs for durationMs, then answers",
        inputSchema: {
          type: "object",
          properties: { durationMs: { type: "number" }, intervalMs: { type: "number" } },
        },
      },
      async run(args, extra) {
        const duration = Number(args.durationMs ?? 8_000);
        const interval = Number(args.intervalMs ?? 1_000);
        const progressToken = extra._meta?.progressToken;
        const steps = Math.ceil(duration / interval);
        for (let step = 1; step <= steps; step++) {
          await sleep(interval);
          if (progressToken !== undefined)
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress: step, total: steps },
            });
        }
        return text(`done after ${steps} steps`);
      },
    },
    {
      tool: { name: "ask_roots", description: "Asks the client for its roots", inputSchema: EMPTY },
      async run(_args, _extra, server) {
        const { roots } = await server.listRoots();
        return text(roots.map((root) => root.uri).join(","));
      },
    },
    {
      tool: {
        name: "wait_for_cancel",
        description: "Answers only when cancelled",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        const cancelled = new Promise((resolve) =>
          extra.signal.addEventListener("abort", () => {
            state.cancelled++;
            resolve(undefined);
          }),
        );
        const progressToken = extra._meta?.progressToken;
        // Tells a client with a progress token that the call reached the server.
        if (progressToken !== undefined)
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress: 0 },
          });
        await cancelled;
        return text("cancelled");
      },
    },
    {
      tool: { name: "seen", description: "What reached this server", inputSchema: EMPTY },
      run: async () =>
        text(
          JSON.stringify({
            logLevel: state.logLevel,
            subscriptions: [...state.subscriptions],
            cancelled: state.cancelled,
          }),
        ),
    },
    {
      tool: {
        name: "log_each_level",
        description: "Logs one message at debug, info, warning and error, whatever the level",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        for (const level of ["debug", "info", "warning", "error"] as const)
          await extra.sendNotification(LOG(level, `${level} message`));
        return text("logged");
      },
    },
    {
      tool: {
        name: "touch",
        description: "Says the resource at `uri` changed (if subscribed)",
        inputSchema: { type: "object", properties: { uri: { type: "string" } } },
      },
      async run(args, _extra, server) {
        const uri = String(args.uri);
        if (!state.subscriptions.has(uri)) return text("not subscribed");
        await server.sendResourceUpdated({ uri });
        return text("touched");
      },
    },
  ];
}
