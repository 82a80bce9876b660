import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { TServerConfig } from "../../config/mcp-config-schema";
import { startOAuthProtectedServer } from "../../testing/oauth-fixture";
import { UpstreamPool } from "../upstream-pool";
import type { UpstreamServer, UpstreamState } from "../upstream-server";
import { OAuthBroker } from "./oauth-broker";

// A remote server that requires OAuth (the SDK's example authorization server in front of it, on
// loopback ports); the "user" is this test, following the URL the agent prints with fetch.

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

function untilState(upstream: UpstreamServer, state: UpstreamState): Promise<void> {
  return new Promise((resolve) => {
    if (upstream.currentState === state) return resolve();
    const off = upstream.onStateChange(() => {
      if (upstream.currentState !== state) return;
      off();
      resolve();
    });
  });
}

async function agentWith(stateDir: string, config: TServerConfig, lines: string[] = []) {
  const log = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
  const oauth = new OAuthBroker(join(stateDir, "oauth"));
  const pool = new UpstreamPool(log, undefined, oauth);
  cleanup.push(
    () => oauth.close(),
    () => pool.stopAll(),
  );
  await pool.apply(new Map([["secure", config]]));
  const upstream = pool.get("secure");
  if (!upstream) throw new Error("no server");
  /** The whole agent stops: servers, then the OAuth callback listener. */
  const stopAgent = async () => {
    await pool.stopAll();
    await oauth.close();
  };
  return { upstream, stopAgent };
}

const echo = (upstream: UpstreamServer, text: string) =>
  upstream
    .useClient(5_000, (client) => client.callTool({ name: "echo", arguments: { text } }))
    .then((result) => (result.content as { text: string }[])[0]?.text);

describe("a remote server that requires OAuth", { timeout: 30_000 }, () => {
  it("is authorized once through the printed URL; tokens are kept (0600), refreshed, and reused after a restart", async () => {
    const remote = await startOAuthProtectedServer("secure");
    cleanup.push(() => remote.close());
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-oauth-"));
    cleanup.push(() => rm(stateDir, { recursive: true, force: true }));
    const config = { type: "http", url: remote.url, headers: {} } as TServerConfig;
    const lines: string[] = [];
    const { upstream, stopAgent } = await agentWith(stateDir, config, lines);

    await untilState(upstream, "authorizing");
    const url = upstream.status().authorizationUrl;
    expect(url).toMatch(new RegExp(`^${remote.issuer}authorize\\?`));
    expect(new URL(url as string).searchParams.get("code_challenge_method")).toBe("S256");
    expect(lines.join("")).toContain(url as string);
    await expect(echo(upstream, "early")).rejects.toThrow(/needs authorization: open http/);

    // The user opens the URL: the authorization server consents and redirects to the agent.
    const consent = await fetch(url as string, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const callback = await fetch(consent.headers.get("location") as string);
    expect(callback.status).toBe(200);
    await untilState(upstream, "ready");
    expect(await echo(upstream, "hi")).toBe("secure:hi");

    const file = join(stateDir, "oauth", "secure.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, "utf8"));
    expect(stored.tokens.refresh_token).toBeTruthy();

    remote.expireAccessTokens();
    expect(await echo(upstream, "after expiry")).toBe("secure:after expiry");
    expect(remote.refreshes()).toBe(1);
    const refreshed = JSON.parse(await readFile(file, "utf8"));
    expect(refreshed.tokens.access_token).not.toBe(stored.tokens.access_token);

    // The agent restarts on the same state directory: the kept tokens, no consent.
    await stopAgent();
    const { upstream: again } = await agentWith(stateDir, config);
    await untilState(again, "ready");
    expect(await echo(again, "again")).toBe("secure:again");
    // Its callback took the same port, so the registration the refresh token belongs to holds.
    remote.expireAccessTokens();
    expect(await echo(again, "refreshed again")).toBe("secure:refreshed again");
    expect(remote.refreshes()).toBe(2);
    expect(again.currentState).toBe("ready");
  });

  it("a server configured with a static Authorization header keeps using it, without OAuth", async () => {
    const remote = await startOAuthProtectedServer("secure");
    cleanup.push(() => remote.close());
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-oauth-"));
    cleanup.push(() => rm(stateDir, { recursive: true, force: true }));
    const { upstream: first } = await agentWith(stateDir, {
      type: "http",
      url: remote.url,
      headers: {},
    } as TServerConfig);
    await untilState(first, "authorizing");
    const consent = await fetch(first.status().authorizationUrl as string, { redirect: "manual" });
    await fetch(consent.headers.get("location") as string);
    await untilState(first, "ready");
    const { tokens } = JSON.parse(await readFile(join(stateDir, "oauth", "secure.json"), "utf8"));
    await first.stop();

    const otherDir = await mkdtemp(join(tmpdir(), "mcpx-oauth-"));
    cleanup.push(() => rm(otherDir, { recursive: true, force: true }));
    const { upstream: withHeader } = await agentWith(otherDir, {
      type: "http",
      url: remote.url,
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    } as TServerConfig);
    await untilState(withHeader, "ready");
    expect(await echo(withHeader, "static")).toBe("secure:static");
    await expect(stat(join(otherDir, "oauth"))).rejects.toThrow();
  });
});
