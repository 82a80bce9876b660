import fc from "fast-check";

/** Fuzz settings from the environment (documented at the top of gateway-fuzz.test.ts). */
export function fuzzSettings(defaultRuns: number) {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const path = process.env.FUZZ_PATH || undefined;
  // Room for the runs (a few hundred ms each) and for shrinking a failure (each failing shrink
  // step restarts the gateway, 2 s): past it fast-check stops and reports what it has.
  const timeLimitMs = Number(process.env.FUZZ_TIME_LIMIT_MS ?? Math.max(30_000, runs * 1_000));
  return { runs, seed, path, timeLimitMs, testTimeoutMs: timeLimitMs + 90_000 };
}

/**
 * fc.assert with a report fit for large hostile inputs: runs of a repeated unit (nesting
 * thousands deep, 300 KB strings) are abbreviated, and the line to replay the failure is given.
 */
export async function assertProperty<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  settings: ReturnType<typeof fuzzSettings>,
): Promise<number> {
  const details = await fc.check(property, {
    numRuns: settings.runs,
    seed: settings.seed,
    path: settings.path,
    endOnFailure: settings.path !== undefined,
    plugins: [fc.interruptAfterTimeLimit(settings.timeLimitMs)],
  });
  if (!details.failed) return details.numRuns;
  const counterexample = abbreviate(fc.stringify(details.counterexample)).slice(0, 6_000);
  const cause =
    details.errorInstance instanceof Error
      ? details.errorInstance.message
      : String(details.errorInstance);
  throw new Error(
    [
      `Property failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s)${details.interrupted ? " (shrinking cut short by FUZZ_TIME_LIMIT_MS)" : ""}.`,
      `Replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ""}`,
      `Counterexample: ${counterexample}`,
      `Failure: ${abbreviate(cause).slice(0, 6_000)}`,
    ].join("\n"),
  );
}

/** "[[[[…" five thousand deep reads as `"["×5000`. */
export function abbreviate(text: string): string {
  return text.replace(
    /([\s\S]{1,8}?)\1{31,}/g,
    (run, unit: string) => `‹${unit}›×${run.length / unit.length}`,
  );
}
