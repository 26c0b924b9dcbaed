import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FederationManifest } from './federation-manifest.js';
import { peerIdentityFromAuthContext, peerIdentityFromCall } from './peer-identity.js';
import { provisionFederation, type ProvisionedFederation } from '../../provisioning/provision-federation.js';

const DAY = 86_400_000;
let directory: string;
let federation: ProvisionedFederation;
let foreign: ProvisionedFederation;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-peer-'));
  const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'late'] };
  federation = await provisionFederation(input, join(directory, 'a'), {
    nodeValidity: { late: { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) } },
  });
  foreign = await provisionFederation(input, join(directory, 'b'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The auth context grpc-js builds from a verified TLS session: the peer certificate's DER in `raw`. */
async function authContextOf(kit: string) {
  const raw = new X509Certificate(await readFile(join(kit, 'node.crt'), 'utf8')).raw;
  return { transportSecurityType: 'ssl', sslPeerCertificate: { raw } };
}

function withRevoked(manifest: FederationManifest, id: string): FederationManifest {
  const node = manifest.nodes.find((entry) => entry.id === id);
  return { ...manifest, revoked: [{ serialNumber: node?.serialNumber ?? '', reason: 'key compromise', revokedAt: '2026-01-01T00:00:00.000Z' }] };
}

describe('peerIdentityFromAuthContext', () => {
  it('takes node id and role from the verified certificate', async () => {
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.bank as string), federation.manifest)).toEqual({ nodeId: 'bank', role: 'participant' });
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.auditor as string), federation.manifest)).toEqual({ nodeId: 'auditor', role: 'auditor' });
    const auth = await authContextOf(federation.kits.bank as string);
    expect(peerIdentityFromCall({ getAuthContext: () => auth }, federation.manifest)).toEqual({ nodeId: 'bank', role: 'participant' });
  });

  it('refuses plaintext, no certificate, an unlisted certificate, a revoked one and an expired one', async () => {
    expect(peerIdentityFromAuthContext({}, federation.manifest)).toEqual({ refused: expect.stringMatching(/not TLS/) });
    expect(peerIdentityFromAuthContext({ transportSecurityType: 'ssl' }, federation.manifest)).toEqual({ refused: expect.stringMatching(/no verified certificate/) });
    expect(peerIdentityFromAuthContext(await authContextOf(foreign.kits.bank as string), federation.manifest)).toEqual({
      refused: expect.stringMatching(/^the peer certificate \(CN=bank, SHA-256 [0-9a-f]{64}\) is not listed in the federation manifest$/),
    });
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.bank as string), withRevoked(federation.manifest, 'bank'))).toEqual({
      refused: 'the certificate of participant "bank" is revoked since 2026-01-01T00:00:00.000Z (key compromise)',
    });
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.late as string), federation.manifest)).toEqual({
      refused: expect.stringMatching(/^the certificate of participant "late" expired on /),
    });
    const soon = new Date(Date.now() + 400 * DAY);
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.bank as string), federation.manifest, soon)).toHaveProperty('refused', expect.stringMatching(/expired/));
  });

  it('refuses a certificate whose manifest entry names another node or role', async () => {
    const relabelled: FederationManifest = {
      ...federation.manifest,
      nodes: federation.manifest.nodes.map((node) => (node.id === 'bank' ? { ...node, id: 'treasury', role: 'coordinator' } : node)),
    };
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.bank as string), relabelled)).toEqual({
      refused: 'the certificate names participant "bank" but the manifest lists it as coordinator "treasury"',
    });
    expect(peerIdentityFromAuthContext(await authContextOf(federation.kits.bank as string), { ...federation.manifest, federationId: 'other' })).toEqual({
      refused: 'the certificate of "bank" is for federation "banks", not "other"',
    });
  });
});
