import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createCa,
  importPrivateKey,
  issueServerCertificate,
  parseCertificate,
  type SigningCa,
} from "./x509-certificates";

const LEAF_CACHE_SIZE = 500;
const CA_VALID_DAYS = 3650;
const LEAF_VALID_DAYS = 30;

export interface LeafCertificate {
  cert: string;
  key: string;
}

/**
 * The agent's own CA for TLS inspection, made on first run and kept in the state directory (key
 * 0600). Leaf certificates for each host are made on demand and cached, so only the first
 * connection to a host pays for one.
 */
export class CertificateAuthority {
  private readonly leaves = new Map<string, Promise<LeafCertificate>>();

  private constructor(
    readonly certPem: string,
    private readonly signer: SigningCa,
  ) {}

  static async loadOrCreate(dir: string): Promise<CertificateAuthority> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const certPath = join(dir, "ca.pem");
    const keyPath = join(dir, "ca-key.pem");
    try {
      const [certPem, keyPem] = await Promise.all([
        readFile(certPath, "utf8"),
        readFile(keyPath, "utf8"),
      ]);
      return new CertificateAuthority(certPem, {
        cert: parseCertificate(certPem),
        key: await importPrivateKey(keyPem),
      });
    } catch {
      // Missing or unreadable: make a new one (a new CA is only trusted by children spawned after).
    }
    const ca = await createCa("CN=mcpx-agent local TLS inspection CA, O=Lunar MCP", CA_VALID_DAYS);
    await writeFile(keyPath, ca.keyPem, { mode: 0o600 });
    await chmod(keyPath, 0o600);
    await writeFile(certPath, ca.certPem, { mode: 0o644 });
    return new CertificateAuthority(ca.certPem, ca);
  }

  /** A certificate for `host` (a DNS name or an IP literal) signed by this CA. */
  leafFor(host: string): Promise<LeafCertificate> {
    let leaf = this.leaves.get(host);
    if (!leaf) {
      leaf = issueServerCertificate(this.signer, [host], LEAF_VALID_DAYS).then(
        ({ certPem, keyPem }) => ({
          cert: certPem,
          key: keyPem,
        }),
      );
      this.leaves.set(host, leaf);
      if (this.leaves.size > LEAF_CACHE_SIZE) {
        const oldest = this.leaves.keys().next().value as string;
        this.leaves.delete(oldest);
      }
    }
    return leaf;
  }
}
