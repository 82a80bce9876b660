// A throwaway certificate authority for tests (stand-in upstreams, a CA nobody trusts), made with
// the same code as the agent's own CA.
import { createCa, issueServerCertificate, type KeyAndCert } from "../../egress/x509-certificates";

export type { KeyAndCert };

export interface TestCa extends KeyAndCert {
  /** Issues a server certificate for DNS names and IP addresses (IPs go into IP SANs). */
  issue(names: readonly string[]): Promise<KeyAndCert>;
}

export async function createTestCa(commonName: string): Promise<TestCa> {
  const ca = await createCa(`CN=${commonName}, O=mcpx tests`, 1);
  return {
    certPem: ca.certPem,
    keyPem: ca.keyPem,
    issue: (names) => issueServerCertificate(ca, names, 1),
  };
}
