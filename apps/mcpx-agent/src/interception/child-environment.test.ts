// Unit tests of childProxyEnvironment() and its NODE_OPTIONS handling. That the variables really
// route each kind of client is proved end to end in outbound-interception.test.ts; here: the exact
// set of variables, input checks, and that Node itself reads the quoted preload path back (paths
// with spaces, quotes and backslashes). Not covered here: any network behaviour.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  childProxyEnvironment,
  nodeOptionsWithPreload,
  PRELOAD_PATH,
  parseNodeOptions,
  quoteNodeOption,
} from "./child-environment";

const run = promisify(execFile);

const BASE = {
  proxyUrl: "http://server-a:tok3n@127.0.0.1:40123",
  caBundlePath: "/var/lib/mcpx/ca-bundle.pem",
  extraCaPath: "/var/lib/mcpx/extra-ca.pem",
  preloadPath: "/opt/mcpx/preload.cjs",
};

describe("childProxyEnvironment", () => {
  it("sets the proxy, empty exemptions, the preload and the trust files", () => {
    expect(childProxyEnvironment(BASE)).toEqual({
      HTTP_PROXY: BASE.proxyUrl,
      HTTPS_PROXY: BASE.proxyUrl,
      http_proxy: BASE.proxyUrl,
      https_proxy: BASE.proxyUrl,
      NO_PROXY: "",
      no_proxy: "",
      GLOBAL_AGENT_HTTP_PROXY: BASE.proxyUrl,
      GLOBAL_AGENT_HTTPS_PROXY: BASE.proxyUrl,
      GLOBAL_AGENT_NO_PROXY: "",
      GLOBAL_AGENT_ENVIRONMENT_VARIABLE_NAMESPACE: "GLOBAL_AGENT_",
      GLOBAL_AGENT_FORCE_GLOBAL_AGENT: "true",
      NODE_OPTIONS: '--require "/opt/mcpx/preload.cjs"',
      NODE_EXTRA_CA_CERTS: BASE.extraCaPath,
      SSL_CERT_FILE: BASE.caBundlePath,
      REQUESTS_CA_BUNDLE: BASE.caBundlePath,
      CURL_CA_BUNDLE: BASE.caBundlePath,
      GIT_SSL_CAINFO: BASE.caBundlePath,
    });
  });

  it("sets no trust variable when there is no CA file (no TLS inspection), empty meaning absent", () => {
    for (const files of [{}, { caBundlePath: "", extraCaPath: "" }, { caBundlePath: null }]) {
      const env = childProxyEnvironment({
        proxyUrl: BASE.proxyUrl,
        preloadPath: BASE.preloadPath,
        ...files,
      });
      for (const name of [
        "NODE_EXTRA_CA_CERTS",
        "SSL_CERT_FILE",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "GIT_SSL_CAINFO",
      ]) {
        expect(env, name).not.toHaveProperty(name);
      }
      // The exemption overrides are there all the same, empty on purpose.
      expect(env).toMatchObject({ NO_PROXY: "", no_proxy: "", GLOBAL_AGENT_NO_PROXY: "" });
    }
  });

  it("wins over exemptions and other proxies inherited from the parent or the config", () => {
    const inherited = {
      NO_PROXY: "*",
      no_proxy: "*",
      GLOBAL_AGENT_NO_PROXY: "*",
      GLOBAL_AGENT_ENVIRONMENT_VARIABLE_NAMESPACE: "EVIL_",
      HTTPS_PROXY: "http://elsewhere:3128",
      SSL_CERT_FILE: "/etc/ssl/only-this.pem",
      NODE_OPTIONS: "--max-old-space-size=512",
    };
    const merged = {
      ...inherited,
      ...childProxyEnvironment({ ...BASE, existingNodeOptions: inherited.NODE_OPTIONS }),
    };
    expect(merged.NO_PROXY).toBe("");
    expect(merged.no_proxy).toBe("");
    expect(merged.GLOBAL_AGENT_NO_PROXY).toBe("");
    expect(merged.GLOBAL_AGENT_ENVIRONMENT_VARIABLE_NAMESPACE).toBe("GLOBAL_AGENT_");
    expect(merged.HTTPS_PROXY).toBe(BASE.proxyUrl);
    expect(merged.SSL_CERT_FILE).toBe(BASE.caBundlePath);
    expect(merged.NODE_OPTIONS).toBe('--max-old-space-size=512 --require "/opt/mcpx/preload.cjs"');
  });

  it("normalises the proxy URL and refuses ones some client would not honour", () => {
    expect(childProxyEnvironment({ ...BASE, proxyUrl: "http://127.0.0.1:8080/" }).HTTP_PROXY).toBe(
      "http://127.0.0.1:8080",
    );
    const bad = [
      "https://127.0.0.1:8080", // global-agent and Python would need TLS to the proxy
      "http://127.0.0.1", // no port: clients disagree on the default
      "http://127.0.0.1:8080/path",
      "http://127.0.0.1:8080/?q=1",
      "http://only-user@127.0.0.1:8080", // undici sends no identity without a password
      "socks5://127.0.0.1:1080",
      "127.0.0.1:8080",
    ];
    for (const proxyUrl of bad) {
      expect(() => childProxyEnvironment({ ...BASE, proxyUrl }), proxyUrl).toThrow();
    }
  });

  it("wants absolute paths (a child's cwd is not the agent's)", () => {
    expect(() => childProxyEnvironment({ ...BASE, preloadPath: "preload.cjs" })).toThrow(
      /preloadPath/,
    );
    expect(() => childProxyEnvironment({ ...BASE, caBundlePath: "./ca.pem" })).toThrow(
      /caBundlePath/,
    );
    expect(() => childProxyEnvironment({ ...BASE, extraCaPath: "extra.pem" })).toThrow(
      /extraCaPath/,
    );
  });

  it("points PRELOAD_PATH at the preload next to it", () => {
    expect(PRELOAD_PATH).toMatch(/\/src\/interception\/preload\.cjs$/);
  });
});

describe("NODE_OPTIONS", () => {
  it("appends the preload, keeping existing options in front, once", () => {
    expect(nodeOptionsWithPreload(undefined, "/a/p.cjs")).toBe('--require "/a/p.cjs"');
    expect(nodeOptionsWithPreload("  --enable-source-maps ", "/a/p.cjs")).toBe(
      '--enable-source-maps --require "/a/p.cjs"',
    );
    const once = nodeOptionsWithPreload("--enable-source-maps", "/a/p.cjs");
    expect(nodeOptionsWithPreload(once, "/a/p.cjs")).toBe(once);
    expect(nodeOptionsWithPreload("-r /a/p.cjs", "/a/p.cjs")).toBe("-r /a/p.cjs");
    expect(nodeOptionsWithPreload("--require=/a/p.cjs", "/a/p.cjs")).toBe("--require=/a/p.cjs");
  });

  it("quotes so that Node's parser reads the exact path back", () => {
    const paths = ["/plain/p.cjs", "/with space/p.cjs", '/quote"d/p.cjs', "/back\\slash/p.cjs"];
    for (const path of paths) {
      const options = nodeOptionsWithPreload('--title "my server"', path);
      expect(parseNodeOptions(options)).toEqual(["--title", "my server", "--require", path]);
      expect(parseNodeOptions(quoteNodeOption(path))).toEqual([path]);
    }
  });

  it("parses like Node: backslashes are literal outside quotes, unterminated quotes are errors", () => {
    expect(parseNodeOptions("-r C:\\x\\y.js  --inspect")).toEqual([
      "-r",
      "C:\\x\\y.js",
      "--inspect",
    ]);
    expect(parseNodeOptions('--a="b c"d')).toEqual(["--a=b cd"]);
    expect(() => parseNodeOptions('--require "/x')).toThrow(/unterminated/);
  });

  describe("read back by Node itself", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "mcpx-node-options-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each(["plain", "with space", 'with "quotes" and \\ backslash'])(
      "loads a preload from a directory named %j",
      async (name) => {
        const folder = join(dir, name);
        await mkdir(folder, { recursive: true });
        const preload = join(folder, "marker.cjs");
        await writeFile(preload, 'process.stderr.write("marker loaded\\n");\n');
        const { stdout, stderr } = await run(
          process.execPath,
          ["-e", 'process.stdout.write("ok")'],
          {
            env: {
              PATH: process.env.PATH ?? "",
              NODE_OPTIONS: nodeOptionsWithPreload("--no-warnings", preload),
            },
          },
        );
        expect(stdout).toBe("ok");
        expect(stderr).toBe("marker loaded\n");
      },
    );
  });
});
