import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFederationCa } from './create-federation-ca.js';
import { x509 } from '../protocols/trust/peculiar-x509.js';

describe('createFederationCa', () => {
  it('makes a self-signed P-256 CA (CA:true, pathLength 0, keyCertSign) with its PKCS#8 key', async () => {
    const notBefore = new Date(Date.now() - 60_000);
    const notAfter = new Date(Date.now() + 86_400_000);
    const ca = await createFederationCa({ federationId: 'banks', notBefore, notAfter });
    const certificate = new X509Certificate(ca.certificatePem);
    expect(certificate.ca).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.subject).toBe('CN=HEFL federation banks CA');
    expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(certificate.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const constraints = ca.certificate.getExtension(x509.BasicConstraintsExtension);
    expect(constraints).toMatchObject({ ca: true, pathLength: 0, critical: true });
    const usages = ca.certificate.getExtension(x509.KeyUsagesExtension);
    expect((usages?.usages ?? 0) & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
  });
});
