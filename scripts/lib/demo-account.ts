import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export const DEMO_EMAIL = "demo@lunar.local";
export const DEMO_PASSWORD = "demo-password-please-change";

/**
 * The demo organization's API key, made through the dashboard's own API the first time (sign up,
 * create a key) and kept in .data so later starts reuse it. Returns null when the dashboard
 * refuses (for example someone changed the demo password): the demo then does not run.
 */
export async function demoApiKey(webUrl: string, keyFile: string): Promise<string | null> {
  const saved = await readFile(keyFile, "utf8").catch(() => "");
  if (saved.trim()) return saved.trim();
  const headers = { "content-type": "application/json", origin: webUrl };
  const credentials = JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD });
  let session = await fetch(`${webUrl}/api/auth/signup`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD, organizationName: "Demo" }),
  });
  if (session.status === 409)
    session = await fetch(`${webUrl}/api/auth/login`, {
      method: "POST",
      headers,
      body: credentials,
    });
  if (!session.ok) return null;
  const cookie = (session.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const created = await fetch(`${webUrl}/api/keys`, {
    method: "POST",
    headers: { ...headers, cookie },
    body: JSON.stringify({ name: "demo-agent" }),
  });
  if (!created.ok) return null;
  const { secret } = (await created.json()) as { secret: string };
  await mkdir(dirname(keyFile), { recursive: true });
  await writeFile(keyFile, secret, { mode: 0o600 });
  return secret;
}
