// Unit tests of writeCaBundles(): what goes into the combined bundle (for variables that REPLACE
// roots) and the extra file (for NODE_EXTRA_CA_CERTS, which adds), file modes, rewriting only on
// change, de-duplication and refusal of garbage. That OpenSSL-based Python and Node clients really
// verify with these files is proved in outbound-interception.test.ts. Not covered: the OS trust
// store (the default roots are Node's tls.rootCertificates; other roots come in as extraCaFiles).
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext, rootCertificates } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type TestCa } from "../testing/outbound/test-ca";
import { CA_BUNDLE_FILE, EXTRA_CA_FILE, parseCertificates, writeCaBundles } from "./ca-bundle";

function fingerprints(pemText: string): string[] {
  return parseCertificates(pemText, "test").map((c) => c.fingerprint);
}

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

describe("writeCaBundles", () => {
  let dir: string;
  let agentCa: TestCa;
  let standInCa: TestCa;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpx-ca-bundle-"));
    agentCa = await createTestCa("agent CA for bundle tests");
    standInCa = await createTestCa("stand-in CA for bundle tests");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the combined bundle (roots + agent CA + extras) and the extra file, 0644", async () => {
    const out = join(dir, "first", "nested");
    const files = await writeCaBundles({
      directory: out,
      agentCaPem: agentCa.certPem,
      extraCaPems: [standInCa.certPem],
    });
    expect(files.bundlePath).toBe(join(out, CA_BUNDLE_FILE));
    expect(files.extraPath).toBe(join(out, EXTRA_CA_FILE));
    expect(files.changed).toBe(true);

    const bundle = fingerprints(await readFile(files.bundlePath, "utf8"));
    const roots = new Set(rootCertificates.map(fingerprintOf));
    expect(bundle).toContain(fingerprintOf(agentCa.certPem));
    expect(bundle).toContain(fingerprintOf(standInCa.certPem));
    expect(bundle.filter((f) => roots.has(f))).toHaveLength(roots.size);
    expect(files.bundleCount).toBe(bundle.length);
    expect(bundle.length).toBe(roots.size + 2);

    const extra = fingerprints(await readFile(files.extraPath, "utf8"));
    expect(extra).toEqual([fingerprintOf(agentCa.certPem), fingerprintOf(standInCa.certPem)]);

    for (const path of [files.bundlePath, files.extraPath]) {
      expect((await stat(path)).mode & 0o777).toBe(0o644);
      // Loadable as a trust store.
      expect(() => createSecureContext({ ca: readFileSync(path, "utf8") })).not.toThrow();
    }
  });

  it("rewrites only when the content changes, and restores the mode", async () => {
    const out = join(dir, "stable");
    const input = { directory: out, agentCaPem: agentCa.certPem };
    const first = await writeCaBundles(input);
    const before = await stat(first.bundlePath);

    const again = await writeCaBundles(input);
    expect(again.changed).toBe(false);
    const after = await stat(again.bundlePath);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);

    await chmod(again.extraPath, 0o600);
    expect((await writeCaBundles(input)).changed).toBe(false);
    expect((await stat(again.extraPath)).mode & 0o777).toBe(0o644);

    const changed = await writeCaBundles({ ...input, extraCaPems: [standInCa.certPem] });
    expect(changed.changed).toBe(true);
    expect(fingerprints(await readFile(changed.extraPath, "utf8"))).toHaveLength(2);
  });

  it("de-duplicates, reads extra CA files and skips missing ones", async () => {
    const seed = await writeCaBundles({
      directory: join(dir, "seed"),
      agentCaPem: standInCa.certPem,
      systemRoots: [],
    });
    const files = await writeCaBundles({
      directory: join(dir, "dedupe"),
      agentCaPem: agentCa.certPem,
      extraCaPems: [agentCa.certPem, `${standInCa.certPem}\n${standInCa.certPem}`],
      extraCaFiles: [seed.extraPath, join(dir, "does-not-exist.pem")],
      systemRoots: [rootCertificates[0] ?? "", rootCertificates[0] ?? ""],
    });
    expect(files.skippedFiles).toEqual([join(dir, "does-not-exist.pem")]);
    expect(fingerprints(await readFile(files.extraPath, "utf8"))).toEqual([
      fingerprintOf(agentCa.certPem),
      fingerprintOf(standInCa.certPem),
    ]);
    expect(files.bundleCount).toBe(3);
  });

  it("works without an agent CA (no TLS inspection) when there are extra CAs, not with none", async () => {
    const files = await writeCaBundles({
      directory: join(dir, "no-agent"),
      agentCaPem: null,
      extraCaPems: [standInCa.certPem],
    });
    expect(fingerprints(await readFile(files.extraPath, "utf8"))).toEqual([
      fingerprintOf(standInCa.certPem),
    ]);
    expect(files.bundleCount).toBe(rootCertificates.length + 1);
    await expect(
      writeCaBundles({ directory: join(dir, "nothing"), agentCaPem: null }),
    ).rejects.toThrow(/nothing to add/);
  });

  it("refuses what is not a certificate, and an agent CA that is not a CA", async () => {
    const directory = join(dir, "refused");
    await expect(writeCaBundles({ directory, agentCaPem: "hello" })).rejects.toThrow(/agent CA/);
    await expect(
      writeCaBundles({
        directory,
        agentCaPem: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
      }),
    ).rejects.toThrow(/not a valid certificate/);
    const leaf = await agentCa.issue(["api.example-stand-in.test"]);
    await expect(writeCaBundles({ directory, agentCaPem: leaf.certPem })).rejects.toThrow(
      /not a CA/,
    );
    await expect(
      writeCaBundles({ directory, agentCaPem: agentCa.certPem, extraCaPems: ["junk"] }),
    ).rejects.toThrow(/extra CA #1/);
  });
});
