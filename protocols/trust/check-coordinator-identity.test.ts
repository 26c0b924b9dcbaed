import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { PeerCertificate } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCoordinatorIdentity } from './check-coordinator-identity.js';
import { provisionFederation, type ProvisionedFederation } from '../../provisioning/provision-federation.js';

let directory: string;
let federation: ProvisionedFederation;
let foreign: ProvisionedFederation;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-server-identity-'));
  const input = { federationId: 'banks', coordinator: { address: 'coordinator.bank.example:7700' }, participants: ['bank'] };
  federation = await provisionFederation(input, join(directory, 'a'));
  foreign = await provisionFederation(input, join(directory, 'b'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** What Node's TLS client hands to checkServerIdentity. */
async function peerCertificateOf(kit: string): Promise<PeerCertificate> {
  return new X509Certificate(await readFile(join(kit, 'node.crt'), 'utf8')).toLegacyObject() as PeerCertificate;
}

describe('checkCoordinatorIdentity', () => {
  it('accepts the listed coordinator under each of its host names (address host, localhost, 127.0.0.1)', async () => {
    const check = checkCoordinatorIdentity(federation.manifest);
    const coordinator = await peerCertificateOf(federation.kits.coordinator as string);
    for (const host of ['coordinator.bank.example', 'localhost', '127.0.0.1']) expect(check(host, coordinator)).toBeUndefined();
    expect(check('evil.example', coordinator)?.message).toMatch(/evil\.example/);
  });

  it('refuses a same-named coordinator of another CA and a revoked coordinator', async () => {
    const check = checkCoordinatorIdentity(federation.manifest);
    expect(check('localhost', await peerCertificateOf(foreign.kits.coordinator as string))?.message).toMatch(/is not the federation coordinator: .* not listed/);
    const coordinator = federation.manifest.nodes.find((node) => node.role === 'coordinator');
    const revoked = checkCoordinatorIdentity({ ...federation.manifest, revoked: [{ serialNumber: coordinator?.serialNumber ?? '', reason: 'stolen', revokedAt: new Date().toISOString() }] });
    expect(revoked('localhost', await peerCertificateOf(federation.kits.coordinator as string))?.message).toMatch(/coordinator "coordinator" is revoked/);
  });
});
