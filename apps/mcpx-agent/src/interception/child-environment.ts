// The environment the agent adds to every MCP server it spawns so that the server's outbound
// HTTP(S) goes through the agent's egress proxy and trusts the agent's CA. It is merged last,
// over the server's own configured env, so nothing a config or the parent environment carries
// (NO_PROXY=*, another proxy, another CA file) can let calls bypass the proxy.
//
// What each variable is for:
//   HTTP_PROXY, HTTPS_PROXY,     The proxy, in both cases: clients differ in which they read (curl
//   http_proxy, https_proxy      reads only lower-case http_proxy; undici prefers lower case;
//                                Python, Go, Rust and axios read both).
//   NO_PROXY, no_proxy = ""      Empty, so an inherited list (even "*") cannot exempt any host.
//   GLOBAL_AGENT_HTTP_PROXY,     global-agent 3 (the preload's http/https routing) reads only its
//   GLOBAL_AGENT_HTTPS_PROXY,    own namespaced variables; NO_PROXY empty for the same reason;
//   GLOBAL_AGENT_NO_PROXY = "",  the namespace pinned so an inherited one cannot redirect it;
//   GLOBAL_AGENT_ENVIRONMENT_    FORCE_GLOBAL_AGENT so code passing its own Agent is routed too.
//     VARIABLE_NAMESPACE,
//   GLOBAL_AGENT_FORCE_GLOBAL_AGENT
//   NODE_OPTIONS                 The server's own options plus --require "<preload.cjs>"; Node 20
//                                honours no proxy variable by itself. Inherited by Node children.
//   NODE_EXTRA_CA_CERTS          Adds the agent CA (and extra CAs) to Node's bundled roots.
//   SSL_CERT_FILE                OpenSSL's default file (Python ssl/urllib, Ruby, node
//                                --use-openssl-ca): REPLACES the roots, so it is the combined
//                                bundle (system roots + agent CA).
//   REQUESTS_CA_BUNDLE           Python requests (certifi otherwise): replaces; combined bundle.
//   CURL_CA_BUNDLE               curl and libcurl-based clients (and requests as a fallback).
//   GIT_SSL_CAINFO               git over HTTPS (servers that clone at start, e.g. via npx/uvx).
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

export interface ChildProxyEnvironmentInput {
  /**
   * The egress proxy for this server: `http://[user:password@]127.0.0.1:port`. An identity in the
   * userinfo is sent by every covered client as `Proxy-Authorization: Basic …` (undici sends it
   * only when both user and password are non-empty). Percent-encode reserved characters.
   */
  proxyUrl: string;
  /**
   * Combined PEM bundle (system roots + agent CA + extra CAs), from writeCaBundles(). Absent (or
   * empty) when there is nothing extra to trust (no TLS inspection, no stand-in CAs): then
   * SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE and GIT_SSL_CAINFO are not set at all.
   */
  caBundlePath?: string | null | undefined;
  /** PEM with only the agent CA (+ extra CAs) for NODE_EXTRA_CA_CERTS, from writeCaBundles().
   *  Absent (or empty): NODE_EXTRA_CA_CERTS is not set. */
  extraCaPath?: string | null | undefined;
  /** Absolute path of preload.cjs; PRELOAD_PATH unless the agent is packaged differently. */
  preloadPath: string;
  /** The NODE_OPTIONS the server would otherwise get (its configured env's), kept in front. */
  existingNodeOptions?: string | undefined;
}

/** Absolute path of the Node preload shipped next to this file. */
export const PRELOAD_PATH = fileURLToPath(new URL("./preload.cjs", import.meta.url));

/**
 * Returns the variables to merge LAST into a spawned server's environment, every one of them as
 * is: the empty NO_PROXY values are the point (they override inherited exemptions), so a caller
 * must not drop empty strings.
 */
export function childProxyEnvironment(input: ChildProxyEnvironmentInput): Record<string, string> {
  const proxyUrl = checkedProxyUrl(input.proxyUrl);
  const caBundlePath = input.caBundlePath || null;
  const extraCaPath = input.extraCaPath || null;
  for (const [name, path] of [
    ["caBundlePath", caBundlePath],
    ["extraCaPath", extraCaPath],
    ["preloadPath", input.preloadPath],
  ] as const) {
    if (path !== null && !isAbsolute(path)) {
      throw new Error(`${name} must be an absolute path, got "${path}"`);
    }
  }
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: "",
    no_proxy: "",
    GLOBAL_AGENT_HTTP_PROXY: proxyUrl,
    GLOBAL_AGENT_HTTPS_PROXY: proxyUrl,
    GLOBAL_AGENT_NO_PROXY: "",
    GLOBAL_AGENT_ENVIRONMENT_VARIABLE_NAMESPACE: "GLOBAL_AGENT_",
    GLOBAL_AGENT_FORCE_GLOBAL_AGENT: "true",
    NODE_OPTIONS: nodeOptionsWithPreload(input.existingNodeOptions, input.preloadPath),
    ...(extraCaPath ? { NODE_EXTRA_CA_CERTS: extraCaPath } : {}),
    ...(caBundlePath
      ? {
          SSL_CERT_FILE: caBundlePath,
          REQUESTS_CA_BUNDLE: caBundlePath,
          CURL_CA_BUNDLE: caBundlePath,
          GIT_SSL_CAINFO: caBundlePath,
        }
      : {}),
  };
}

/**
 * The proxy URL as every client accepts it: http scheme (global-agent refuses others; TLS to a
 * loopback proxy buys nothing), a port, no path, query or fragment. Returned without a trailing
 * slash, with the userinfo kept as given.
 */
function checkedProxyUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`proxyUrl is not a URL: "${value}"`);
  }
  if (url.protocol !== "http:") throw new Error(`proxyUrl must be http://, got "${url.protocol}"`);
  if (!url.port) throw new Error("proxyUrl must name its port");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new Error("proxyUrl must have no path, query or fragment");
  }
  if (Boolean(url.username) !== Boolean(url.password)) {
    throw new Error("proxyUrl identity needs both user and password (undici drops one alone)");
  }
  return url.href.replace(/\/$/, "");
}

/**
 * Appends `--require "<preload>"` to existing NODE_OPTIONS, unless that exact preload is already
 * required there. Node splits NODE_OPTIONS on spaces outside double quotes and honours backslash
 * escapes inside them, so the path is always quoted and `\` and `"` in it are escaped: paths with
 * spaces (or quotes) survive.
 */
export function nodeOptionsWithPreload(existing: string | undefined, preloadPath: string): string {
  const current = (existing ?? "").trim();
  const tokens = parseNodeOptions(current);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ((token === "--require" || token === "-r") && tokens[i + 1] === preloadPath) return current;
    if (token === `--require=${preloadPath}`) return current;
  }
  const option = `--require ${quoteNodeOption(preloadPath)}`;
  return current ? `${current} ${option}` : option;
}

/** Quotes one NODE_OPTIONS value the way Node's parser reads it back. */
export function quoteNodeOption(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Splits NODE_OPTIONS as Node does (src/node_options.cc, ParseNodeOptionsEnvVar): spaces separate
 * arguments outside double quotes; inside them a backslash escapes the next character.
 */
export function parseNodeOptions(value: string): string[] {
  const args: string[] = [];
  let inString = false;
  let startNew = true;
  for (let i = 0; i < value.length; i++) {
    let c = value.charAt(i);
    if (c === "\\" && inString) {
      if (i + 1 === value.length) throw new Error("invalid NODE_OPTIONS: trailing escape");
      i++;
      c = value.charAt(i);
    } else if (c === " " && !inString) {
      startNew = true;
      continue;
    } else if (c === '"') {
      inString = !inString;
      continue;
    }
    if (startNew) {
      args.push(c);
      startNew = false;
    } else {
      args[args.length - 1] += c;
    }
  }
  if (inString) throw new Error("invalid NODE_OPTIONS: unterminated string");
  return args;
}
