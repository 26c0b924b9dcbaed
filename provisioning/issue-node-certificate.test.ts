import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFederationCa } from './create-federation-ca.js';
import { issueNodeCertificate } from './issue-node-certificate.js';
import { x509 } from '../protocols/trust/peculiar-x509.js';

const window = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };

describe('issueNodeCertificate', () => {
  it('puts the role in the SAN URI; the coordinator also gets its host names and serverAuth', async () => {
    const ca = await createFederationCa({ federationId: 'banks', ...window });
    const coordinator = await issueNodeCertificate({ ca, federationId: 'banks', node: { id: 'coordinator', role: 'coordinator' }, hosts: ['coordinator.bank.example', '127.0.0.1', 'localhost'], ...window });
    const bank = await issueNodeCertificate({ ca, federationId: 'banks', node: { id: 'bank', role: 'participant' }, hosts: ['ignored.example'], ...window });

    const coordinatorCertificate = new X509Certificate(coordinator.certificatePem);
    expect(coordinatorCertificate.subject).toBe('CN=coordinator');
    expect(coordinatorCertificate.subjectAltName).toBe('URI:hefl://banks/coordinator/coordinator, DNS:coordinator.bank.example, IP Address:127.0.0.1, DNS:localhost');
    expect(coordinatorCertificate.checkHost('coordinator.bank.example')).toBe('coordinator.bank.example');
    expect(coordinatorCertificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(coordinatorCertificate.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));

    const bankCertificate = new X509Certificate(bank.certificatePem);
    expect(bankCertificate.subjectAltName).toBe('URI:hefl://banks/participant/bank'); // no host names for a client
    expect(bankCertificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only: it cannot serve
    expect(bankCertificate.ca).toBe(false);
    expect(bankCertificate.checkIssued(new X509Certificate(ca.certificatePem))).toBe(true);
    expect(bankCertificate.verify(new X509Certificate(ca.certificatePem).publicKey)).toBe(true);
    expect(bankCertificate.checkPrivateKey(createPrivateKey(bank.keyPem as string))).toBe(true);
    expect(bank.serialNumber).toBe(bankCertificate.serialNumber.toLowerCase());
    expect(new x509.X509Certificate(bank.certificatePem).getExtension(x509.AuthorityKeyIdentifierExtension)).toBeDefined();
    expect(bank.serialNumber).not.toBe(coordinator.serialNumber);
  });
});
