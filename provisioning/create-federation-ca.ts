import { KeyObject, type webcrypto } from 'node:crypto';
import { EC_P256, x509 } from '../protocols/trust/peculiar-x509.js';
import { randomSerialNumber } from './random-serial-number.js';

export interface FederationCa {
  readonly certificate: x509.X509Certificate;
  readonly certificatePem: string;
  /** WebCrypto handle used to sign node certificates while provisioning. */
  readonly privateKey: webcrypto.CryptoKey;
  /** PKCS#8 PEM of the CA key: written to `<out>/ca/ca.key` only, never into a kit. */
  readonly keyPem: string;
}

/**
 * A self-signed federation CA (ECDSA P-256). pathLength 0: it may sign node certificates but no
 * intermediate CA, so a leaked node key can never mint further certificates.
 */
export async function createFederationCa(options: { federationId: string; notBefore: Date; notAfter: Date }): Promise<FederationCa> {
  const keys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=HEFL federation ${options.federationId} CA`,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certificate, certificatePem: certificate.toString('pem'), privateKey: keys.privateKey, keyPem };
}
