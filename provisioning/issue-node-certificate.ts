import { KeyObject, type webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { readCertificateFacts } from '../protocols/trust/certificate-facts.js';
import type { FederationCa } from './create-federation-ca.js';
import { formatNodeUri, type NodeRole } from '../protocols/trust/node-uri.js';
import { EC_P256, x509 } from '../protocols/trust/peculiar-x509.js';
import { randomSerialNumber } from './random-serial-number.js';

export interface IssuedNodeCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM of the node's own key; goes into its kit only. Absent when the node made its key itself (a request). */
  readonly keyPem?: string;
  readonly serialNumber: string;
  readonly sha256: string;
}

/**
 * A node certificate signed by the federation CA: CN = node id, SAN URI hefl://<federation>/<role>/<id>
 * (so the role travels inside the verified certificate), and for the coordinator the host names and
 * addresses participants dial, so TLS hostname verification works. Only the coordinator may serve.
 */
export async function issueNodeCertificate(options: {
  ca: Pick<FederationCa, 'certificate' | 'privateKey'>;
  federationId: string;
  node: { id: string; role: NodeRole };
  /** Coordinator only: DNS names and IP addresses for its subjectAltName. */
  hosts?: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** The node's own public key, from its checked signing request (certificate-request.ts); a key pair is made here otherwise. */
  publicKey?: x509.PublicKey;
}): Promise<IssuedNodeCertificate> {
  const { node } = options;
  const keys = options.publicKey ? undefined : await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const publicKey = options.publicKey ?? (keys as webcrypto.CryptoKeyPair).publicKey;
  const names: x509.JsonGeneralName[] = [{ type: 'url', value: formatNodeUri({ federationId: options.federationId, role: node.role, nodeId: node.id }) }];
  if (node.role === 'coordinator') {
    for (const host of new Set(options.hosts ?? [])) names.push({ type: isIP(host) ? 'ip' : 'dns', value: host });
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${node.id}`,
    issuer: options.ca.certificate.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey,
    signingKey: options.ca.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(
        node.role === 'coordinator' ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth],
      ),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(options.ca.certificate),
    ],
  });
  const certificatePem = certificate.toString('pem');
  const facts = readCertificateFacts(certificatePem);
  return {
    certificatePem,
    ...(keys ? { keyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString() } : {}),
    serialNumber: facts.serialNumber,
    sha256: facts.sha256,
  };
}
