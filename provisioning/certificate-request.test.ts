import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStartupKit, type StartupKit } from '../protocols/trust/load-startup-kit.js';
import { participantFromPeerCertificate } from '../protocols/trust/startup-kit.js';
import { createCertificateRequest, readCertificateRequest } from './certificate-request.js';
import { installRequestedKit } from './install-requested-kit.js';
import { provisionFederation } from './provision-federation.js';
import { writePrivateFile } from './write-private-file.js';

const directories: string[] = [];
async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-csr-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

const federation = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop'], ckksParametersFingerprint: 'f'.repeat(64) };

/** A mutual-TLS handshake between two kits, as the gRPC credentials would do it; the client's id as the coordinator reads it. */
async function handshake(server: StartupKit, client: StartupKit): Promise<string> {
  const listener = createServer({ key: server.keyPem, cert: server.certificatePem, ca: server.caPem, requestCert: true, rejectUnauthorized: true });
  const peer = new Promise<string>((resolve, reject) => {
    listener.on('secureConnection', (socket: TLSSocket) => {
      try {
        const identity = participantFromPeerCertificate(server.manifest, socket.getPeerCertificate(false));
        resolve('nodeId' in identity ? identity.nodeId : `refused: ${identity.refused}`);
      } catch (error) {
        reject(error as Error);
      }
      socket.end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const socket = connect({ host: '127.0.0.1', port, key: client.keyPem, cert: client.certificatePem, ca: client.caPem, servername: 'localhost' });
  socket.on('error', () => undefined);
  try {
    return await peer;
  } finally {
    socket.destroy();
    listener.close();
  }
}

describe('distributed provisioning: a node makes its key and a signing request; the operator signs it', () => {
  it('issues the certificate for the node\'s own key, never holds that key, and the installed kit speaks mutual TLS', async () => {
    const partner = await temporaryDirectory();
    const request = await createCertificateRequest({ federationId: 'banks', node: { id: 'bank', role: 'participant' } });
    await writePrivateFile(join(partner, 'node.key'), request.keyPem);

    const operator = await temporaryDirectory();
    const { kits } = await provisionFederation(federation, join(operator, 'kits'), { requests: { bank: { pem: request.csrPem, source: 'bank.csr' } } });
    // The operator's output for bank has no key; the centrally provisioned nodes' kits do.
    expect((await readdir(kits.bank as string)).sort()).toEqual(['ca.crt', 'manifest.json', 'manifest.sig', 'node.crt']);
    expect(await readdir(kits.shop as string)).toContain('node.key');
    await expect(loadStartupKit(kits.bank as string)).rejects.toThrow(/has no node\.key/);

    const kit = await installRequestedKit(kits.bank as string, partner);
    expect(kit).toMatchObject({ nodeId: 'bank', role: 'participant' });
    expect(kit.keyPem).toBe(request.keyPem);
    expect((await stat(join(partner, 'node.key'))).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(kit.certificatePem).subjectAltName).toBe('URI:hefl://banks/participant/bank');
    const coordinator = await loadStartupKit(kits.coordinator as string);
    expect(await handshake(coordinator, kit)).toBe('bank');
  });

  it('refuses a request that is altered, for another node, or not a request, naming the file', async () => {
    const { csrPem } = await createCertificateRequest({ federationId: 'banks', node: { id: 'bank', role: 'participant' } });
    await expect(readCertificateRequest(csrPem, 'shop', 'requests/shop.csr')).rejects.toThrow('requests/shop.csr is a request for "bank", not for node "shop"');
    await expect(readCertificateRequest('not a request', 'bank', 'bank.csr')).rejects.toThrow(/bank\.csr is not a PEM certificate signing request/);
    // Flip one bit inside the signed body (the subject's CN "bank" → "bbnk").
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('bank'));
    der[at + 1] = 'b'.charCodeAt(0);
    const altered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(readCertificateRequest(altered, 'bbnk', 'bank.csr')).rejects.toThrow(/signature does not verify/);
    const operator = await temporaryDirectory();
    await expect(provisionFederation(federation, join(operator, 'kits'), { requests: { bank: { pem: altered, source: 'bank.csr' } } })).rejects.toThrow(/bank\.csr/);
    expect(await readdir(operator)).toEqual([]);
  });

  it('install refuses a folder whose key does not match the certificate and leaves it as it was', async () => {
    const partner = await temporaryDirectory();
    const bankRequest = await createCertificateRequest({ federationId: 'banks', node: { id: 'bank', role: 'participant' } });
    const otherKey = (await createCertificateRequest({ federationId: 'banks', node: { id: 'bank', role: 'participant' } })).keyPem;
    await writePrivateFile(join(partner, 'node.key'), otherKey);
    const operator = await temporaryDirectory();
    const { kits } = await provisionFederation(federation, join(operator, 'kits'), { requests: { bank: { pem: bankRequest.csrPem, source: 'bank.csr' } } });
    await expect(installRequestedKit(kits.bank as string, partner)).rejects.toThrow(/node\.key does not belong to node\.crt/);
    expect(await readdir(partner)).toEqual(['node.key']);
    await expect(installRequestedKit(kits.shop as string, partner)).rejects.toThrow(/holds a node\.key: that kit was provisioned centrally/);
  });
});
