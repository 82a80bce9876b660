import { defineConfig } from "@playwright/test";

// Runs against a production build (`next start`) on its own port and database, in Debian's
// Chromium: Playwright's own browser downloads cannot run on our machines.
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl) {
  throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests through `npm test`");
}
const isRoot = process.getuid?.() === 0;
export const GATEWAY_PORTS = [port + 1, port + 2];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  // A whole test, not one wait (each expect has its own 10 s): on two shared cores with two
  // workers, a dashboard, two gateways and Postgres, a test that signs up two users took 22 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        ...(isRoot ? ["--no-sandbox"] : []),
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      command: `npx next start -p ${port} -H 127.0.0.1`,
      cwd: import.meta.dirname,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
    },
    // Two gateways on the same database: live logs must show what arrives at either.
    ...GATEWAY_PORTS.map((gatewayPort) => ({
      command: "node --import tsx src/main.ts",
      cwd: `${import.meta.dirname}/../gateway`,
      url: `http://127.0.0.1:${gatewayPort}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        DATABASE_URL: databaseUrl,
        PORT: String(gatewayPort),
        LOG_LEVEL: "warn",
        // Hourly rollups within a second, so the 7- and 30-day windows can be checked.
        ROLLUP_COMPACTION_INTERVAL_MS: "1000",
      },
    })),
  ],
});
