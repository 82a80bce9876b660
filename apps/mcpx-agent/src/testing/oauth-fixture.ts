import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DemoInMemoryAuthProvider } from "@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js";
import { mcpAuthRouter } from "@modelcontextprotocol/sdk/server/auth/router.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type {
  OAuthClientInformationFull,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { buildFixtureServer } from "./fixture-server";

/**
 * The SDK's demo provider, which issues no refresh tokens, with refresh added (a refresh token
 * with each access token, rotated on use) and a way to make every access token so far expire.
 */
class RefreshingDemoProvider extends DemoInMemoryAuthProvider {
  private readonly refreshTokens = new Map<string, { clientId: string; resource?: URL }>();
  private readonly refreshed = new Map<string, { clientId: string; resource?: URL }>();
  private readonly expired = new Set<string>();
  private readonly issued: string[] = [];
  refreshCount = 0;

  override async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    verifier?: string,
    _redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    const tokens = await super.exchangeAuthorizationCode(client, code, verifier);
    this.issued.push(tokens.access_token);
    return { ...tokens, refresh_token: this.newRefreshToken(client.client_id, resource) };
  }

  override async exchangeRefreshToken(
    client: OAuthClientInformationFull,
    refreshToken: string,
    _scopes?: string[],
    resource?: URL,
  ): Promise<OAuthTokens> {
    const known = this.refreshTokens.get(refreshToken);
    if (!known || known.clientId !== client.client_id) throw new Error("unknown refresh token");
    this.refreshTokens.delete(refreshToken);
    this.refreshCount++;
    const access = randomUUID();
    this.refreshed.set(access, {
      clientId: client.client_id,
      resource: resource ?? known.resource,
    });
    this.issued.push(access);
    return {
      access_token: access,
      token_type: "bearer",
      expires_in: 3600,
      refresh_token: this.newRefreshToken(client.client_id, resource ?? known.resource),
    };
  }

  override async verifyAccessToken(token: string) {
    if (this.expired.has(token)) throw new Error("expired token");
    const refreshed = this.refreshed.get(token);
    if (refreshed)
      return {
        token,
        clientId: refreshed.clientId,
        scopes: [],
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        resource: refreshed.resource,
      };
    return super.verifyAccessToken(token);
  }

  expireAll(): void {
    for (const token of this.issued) this.expired.add(token);
  }

  private newRefreshToken(clientId: string, resource?: URL): string {
    const token = randomUUID();
    this.refreshTokens.set(token, { clientId, resource });
    return token;
  }
}

export interface OAuthProtectedServer {
  /** The MCP endpoint (requires a bearer token from the authorization server). */
  url: string;
  issuer: string;
  /** Every access token issued so far stops working (the next request gets 401). */
  expireAccessTokens(): void;
  /** How many times a refresh token was exchanged. */
  refreshes(): number;
  close(): Promise<void>;
}

/**
 * A remote MCP server that requires OAuth as the MCP authorization spec says (protected resource
 * metadata, 401 with `WWW-Authenticate`), and the SDK's example authorization server
 * (`mcpAuthRouter` with its demo provider: dynamic client registration, PKCE, consent granted at
 * once), both on loopback ports.
 */
export async function startOAuthProtectedServer(name: string): Promise<OAuthProtectedServer> {
  const provider = new RefreshingDemoProvider();
  const authServer = await listen();
  const issuer = `http://127.0.0.1:${port(authServer)}/`;
  const { default: express } = (await import(EXPRESS)) as { default: ExpressFactory };
  const app = express();
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(issuer), scopesSupported: ["mcp:tools"] }));
  authServer.on("request", app);

  const mcpServer = await listen();
  const url = `http://127.0.0.1:${port(mcpServer)}/mcp`;
  const metadataUrl = `http://127.0.0.1:${port(mcpServer)}/.well-known/oauth-protected-resource/mcp`;
  mcpServer.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === "/.well-known/oauth-protected-resource/mcp") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ resource: url, authorization_servers: [issuer] }));
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const valid = token ? await provider.verifyAccessToken(token).catch(() => null) : null;
    if (!valid) {
      res.writeHead(401, {
        "www-authenticate": `Bearer error="invalid_token", resource_metadata="${metadataUrl}"`,
      });
      return res.end();
    }
    const server = buildFixtureServer(name);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  return {
    url,
    issuer,
    expireAccessTokens: () => provider.expireAll(),
    refreshes: () => provider.refreshCount,
    close: async () => {
      await Promise.all([authServer, mcpServer].map(close));
    },
  };
}

/** express comes with the SDK (its auth router is an express router); it has no types here. */
const EXPRESS = "express";
type ExpressFactory = () => {
  use(handler: unknown): void;
  (req: IncomingMessage, res: ServerResponse): void;
};

function listen(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
