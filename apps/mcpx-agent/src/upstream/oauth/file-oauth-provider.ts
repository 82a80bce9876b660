import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { AGENT_CLIENT_INFO } from "../connect-upstream";

/** What is kept per server: the registration (for one redirect URL), tokens, the flow in progress. */
interface Stored {
  redirectUrl?: string;
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  codeVerifier?: string;
  state?: string;
}

/**
 * The SDK's OAuthClientProvider for one remote server, kept in a file of the agent's state
 * directory (mode 0600): the dynamic client registration, the tokens (the SDK refreshes them on a
 * 401 and saves the new ones here) and the PKCE verifier of a flow in progress. The authorization
 * URL is handed to `onAuthorizationUrl` for the user to open.
 */
export class FileOAuthProvider implements OAuthClientProvider {
  private stored: Stored = {};
  /** The URL the user has to open, while an authorization is pending. */
  pendingUrl: URL | null = null;

  private constructor(
    private readonly file: string,
    private readonly callbackUrl: string,
  ) {}

  static async open(file: string, callbackUrl: string): Promise<FileOAuthProvider> {
    const provider = new FileOAuthProvider(file, callbackUrl);
    try {
      provider.stored = JSON.parse(await readFile(file, "utf8")) as Stored;
    } catch {
      provider.stored = {};
    }
    return provider;
  }

  get redirectUrl(): string {
    return this.callbackUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: AGENT_CLIENT_INFO.name,
      redirect_uris: [this.callbackUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  async state(): Promise<string> {
    const state = randomBytes(16).toString("base64url");
    await this.save({ state });
    return state;
  }

  /** Whether `state` is the one of the flow in progress (the callback checks it). */
  expects(state: string): boolean {
    return this.stored.state !== undefined && this.stored.state === state;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    // A registration is for one redirect URL: when the callback port changed, register again.
    return this.stored.redirectUrl === this.callbackUrl ? this.stored.client : undefined;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    await this.save({ client, redirectUrl: this.callbackUrl });
  }

  tokens(): OAuthTokens | undefined {
    return this.stored.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    this.pendingUrl = null;
    await this.save({ tokens, codeVerifier: undefined, state: undefined });
  }

  redirectToAuthorization(url: URL): void {
    this.pendingUrl = url;
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    await this.save({ codeVerifier });
  }

  codeVerifier(): string {
    if (!this.stored.codeVerifier) throw new Error("no authorization in progress");
    return this.stored.codeVerifier;
  }

  async invalidateCredentials(
    scope: "all" | "client" | "tokens" | "verifier" | "discovery",
  ): Promise<void> {
    if (scope === "all") return this.save({ client: undefined, tokens: undefined });
    if (scope === "client") return this.save({ client: undefined });
    if (scope === "tokens") return this.save({ tokens: undefined });
    if (scope === "verifier") return this.save({ codeVerifier: undefined });
  }

  /** Written whole and renamed into place, readable by the user only. */
  private async save(change: Partial<Stored>): Promise<void> {
    this.stored = { ...this.stored, ...change };
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(this.stored), { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
