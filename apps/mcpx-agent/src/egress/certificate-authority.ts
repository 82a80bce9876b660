import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// @peculiar/x509 is typed against the DOM's Crypto; Node's webcrypto is the same API.
x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const LEAF_CACHE_SIZE = 500;
const DAY_MS = 86_400_000;

export interface LeafCertificate {
  cert: string;
  key: string;
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${base64}${base64.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");
}

/**
 * The agent's own CA for TLS inspection, made on first run and kept in the state directory (key
 * 0600). Leaf certificates for each host are made on demand (ECDSA P-256: a few ms each) and
 * cached, so only the first connection to a host pays for one.
 */
export class CertificateAuthority {
  private readonly leaves = new Map<string, Promise<LeafCertificate>>();

  private constructor(
    readonly certPem: string,
    private readonly caCert: x509.X509Certificate,
    private readonly caKey: CryptoKey,
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
      const cert = new x509.X509Certificate(certPem);
      const keyDer = x509.PemConverter.decodeFirst(keyPem);
      const key = await webcrypto.subtle.importKey("pkcs8", keyDer, ALGORITHM, false, ["sign"]);
      return new CertificateAuthority(certPem, cert, key);
    } catch {
      // Missing or unreadable: make a new one (a new CA is only trusted by children spawned after).
    }
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: "CN=mcpx-agent local TLS inspection CA, O=Lunar MCP",
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 3650 * DAY_MS),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const keyPem = toPem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
    await writeFile(keyPath, keyPem, { mode: 0o600 });
    await chmod(keyPath, 0o600);
    const certPem = cert.toString("pem");
    await writeFile(certPath, certPem, { mode: 0o644 });
    return new CertificateAuthority(certPem, cert, keys.privateKey);
  }

  /** A certificate for `host` (a DNS name or an IP literal) signed by this CA. */
  leafFor(host: string): Promise<LeafCertificate> {
    let leaf = this.leaves.get(host);
    if (!leaf) {
      leaf = this.makeLeaf(host);
      this.leaves.set(host, leaf);
      if (this.leaves.size > LEAF_CACHE_SIZE) {
        const oldest = this.leaves.keys().next().value as string;
        this.leaves.delete(oldest);
      }
    }
    return leaf;
  }

  private async makeLeaf(host: string): Promise<LeafCertificate> {
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const now = Date.now();
    const isIp = /^[\d.]+$/.test(host) || host.includes(":");
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${isIp ? "ip" : host}`,
      issuer: this.caCert.subject,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 30 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: this.caKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: isIp ? "ip" : "dns", value: host }]),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCert),
      ],
    });
    return {
      cert: cert.toString("pem"),
      key: toPem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey)),
    };
  }
}
