// A throwaway certificate authority for tests: ECDSA P-256 through WebCrypto and @peculiar/x509
// (a leaf takes a few milliseconds; node-forge RSA keys take over 100 ms each). Certificates carry
// the extensions strict verifiers insist on (basic constraints, key usage, subject and authority
// key identifiers, SANs), so Node, OpenSSL and Python accept them with verification on.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = webcrypto;
// @peculiar/x509 is typed against the DOM's Crypto; Node's webcrypto is the same API.
x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const HOUR = 3_600_000;

export interface KeyAndCert {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends KeyAndCert {
  /** Issues a server certificate for DNS names and IP addresses (IPs go into IP SANs). */
  issue(names: readonly string[]): Promise<KeyAndCert>;
}

export async function createTestCa(commonName: string): Promise<TestCa> {
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}, O=mcpx tests`,
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 24 * HOUR),
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
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey);

  return {
    certPem: caCert.toString("pem"),
    keyPem: await privateKeyPem(keys.privateKey),
    async issue(names) {
      const leafKeys = (await crypto.subtle.generateKey(ALGORITHM, true, [
        "sign",
        "verify",
      ])) as CryptoKeyPair;
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerial(),
        subject: `CN=${names[0] ?? "localhost"}`,
        issuer: caCert.subject,
        notBefore: new Date(Date.now() - HOUR),
        notAfter: new Date(Date.now() + 24 * HOUR),
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(
            names.map((name) =>
              isIpLiteral(name) ? { type: "ip", value: name } : { type: "dns", value: name },
            ),
          ),
          await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
          authorityKeyId,
        ],
      });
      return { certPem: leaf.toString("pem"), keyPem: await privateKeyPem(leafKeys.privateKey) };
    },
  };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

function randomSerial(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return Buffer.from(bytes).toString("hex");
}

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":");
}
