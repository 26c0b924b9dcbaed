import { appendFile, chmod, copyFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { loadStartupKit } from './load-startup-kit.js';
import { provisionFederation, type ProvisionedFederation } from '../../provisioning/provision-federation.js';
import { revokeCertificate } from '../../provisioning/revoke-certificate.js';

const DAY = 86_400_000;
const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop', 'late'] };
let directory: string;
let federation: ProvisionedFederation;
let other: ProvisionedFederation;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-kit-'));
  federation = await provisionFederation(input, join(directory, 'kits'), {
    nodeValidity: { late: { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) } },
  });
  other = await provisionFederation(input, join(directory, 'other'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** A copy of a kit to break in one way. */
async function copyOfKit(id: string): Promise<string> {
  const copy = await mkdtemp(join(directory, `copy-${id}-`));
  await cp(federation.kits[id] as string, copy, { recursive: true });
  return copy;
}

describe('loadStartupKit', () => {
  it('loads a kit: node id and role from the manifest, key and CA', async () => {
    const kit = await loadStartupKit(federation.kits.bank as string);
    expect(kit).toMatchObject({ nodeId: 'bank', role: 'participant', folder: federation.kits.bank });
    expect(kit.keyPem).toMatch(/BEGIN PRIVATE KEY/);
    expect(kit.caPem).toBe(await readFile(join(federation.caDirectory, 'ca.crt'), 'utf8'));
    expect((await loadStartupKit(federation.kits.coordinator as string)).role).toBe('coordinator');
  });

  it('refuses a key readable by others, a CA key inside the kit, and a key of another certificate', async () => {
    const loose = await copyOfKit('bank');
    await chmod(join(loose, 'node.key'), 0o644);
    await expect(loadStartupKit(loose)).rejects.toThrow(/node\.key is accessible to other users \(mode 644\)/);

    const withCaKey = await copyOfKit('bank');
    await copyFile(join(federation.caDirectory, 'ca.key'), join(withCaKey, 'ca.key'));
    await expect(loadStartupKit(withCaKey)).rejects.toThrow(KeyCustodyError);

    const swappedKey = await copyOfKit('bank');
    await copyFile(join(federation.kits.shop as string, 'node.key'), join(swappedKey, 'node.key'));
    await expect(loadStartupKit(swappedKey)).rejects.toThrow(/node\.key does not belong to node\.crt/);
  });

  it('refuses a certificate from another CA, an edited manifest, and a missing file', async () => {
    const mixed = await copyOfKit('bank');
    await copyFile(join(other.kits.bank as string, 'node.crt'), join(mixed, 'node.crt'));
    await expect(loadStartupKit(mixed)).rejects.toThrow(/node\.crt is not issued by the kit's CA/);

    const edited = await copyOfKit('bank');
    await appendFile(join(edited, 'manifest.json'), ' ');
    await expect(loadStartupKit(edited)).rejects.toThrow(/manifest signature \(manifest\.sig\) does not verify/);

    const foreignManifest = await copyOfKit('bank');
    await copyFile(join(other.kits.bank as string, 'manifest.json'), join(foreignManifest, 'manifest.json'));
    await copyFile(join(other.kits.bank as string, 'manifest.sig'), join(foreignManifest, 'manifest.sig'));
    await expect(loadStartupKit(foreignManifest)).rejects.toThrow(/does not verify against the federation CA/);

    const incomplete = await copyOfKit('bank');
    await rm(join(incomplete, 'manifest.sig'));
    await expect(loadStartupKit(incomplete)).rejects.toThrow(/has no manifest\.sig/);
    await expect(loadStartupKit(join(directory, 'nowhere'))).rejects.toBeInstanceOf(ConfigError);
  });

  it('refuses an expired certificate (but loads it at a time inside its window)', async () => {
    await expect(loadStartupKit(federation.kits.late as string)).rejects.toThrow(/node\.crt expired on .*ask the federation operator for a new startup kit/);
    expect((await loadStartupKit(federation.kits.late as string, { now: new Date(Date.now() - 3 * DAY) })).nodeId).toBe('late');
  });

  it('refuses a kit whose certificate the manifest revokes', async () => {
    const out = await mkdtemp(join(directory, 'revoked-'));
    const { kits, caDirectory } = await provisionFederation(input, join(out, 'kits'));
    await revokeCertificate(caDirectory, join(out, 'kits'), 'shop', 'laptop stolen');
    await expect(loadStartupKit(kits.shop as string)).rejects.toThrow(/participant "shop" .* was revoked on .* \(laptop stolen\)/);
    expect((await loadStartupKit(kits.bank as string)).manifest.revoked).toHaveLength(1);
  });
});
