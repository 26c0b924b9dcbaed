import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { normalizeSerialNumber, readCertificateFacts } from './certificate-facts.js';
import { createFederationCa } from '../../provisioning/create-federation-ca.js';
import { issueNodeCertificate } from '../../provisioning/issue-node-certificate.js';

describe('readCertificateFacts', () => {
  it('reads the DER hash, serial, validity and node URI, from PEM or DER alike', async () => {
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const notAfter = new Date(notBefore.getTime() + 86_400_000);
    const ca = await createFederationCa({ federationId: 'banks', notBefore, notAfter });
    const issued = await issueNodeCertificate({ ca, federationId: 'banks', node: { id: 'bank', role: 'participant' }, notBefore, notAfter });
    const der = new X509Certificate(issued.certificatePem).raw;
    const facts = readCertificateFacts(issued.certificatePem);
    expect(facts.sha256).toBe(createHash('sha256').update(der).digest('hex'));
    expect(facts).toMatchObject({ serialNumber: issued.serialNumber, notBefore, notAfter, subject: 'CN=bank', nodeUri: { federationId: 'banks', role: 'participant', nodeId: 'bank' } });
    expect(readCertificateFacts(new Uint8Array(der))).toEqual(facts);
    expect(readCertificateFacts(ca.certificatePem).nodeUri).toBeUndefined();
  });

  it('normalizes serials and refuses what is not a certificate', () => {
    expect(normalizeSerialNumber('00AB01')).toBe('ab01');
    expect(normalizeSerialNumber('00')).toBe('0');
    expect(() => readCertificateFacts('hello')).toThrow(ConfigError);
  });
});
