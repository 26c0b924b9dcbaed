import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../protocols/errors.js';
import { loadStartupKit } from '../protocols/trust/load-startup-kit.js';
import { provisionFederation } from './provision-federation.js';
import { reloadManifest } from './reload-manifest.js';
import { revokeCertificate } from './revoke-certificate.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-reload-'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});
const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop'] };

describe('reloadManifest', () => {
  it('picks up a revocation, and refuses a rollback to the manifest before it', async () => {
    const kitsDirectory = join(directory, 'a');
    const { kits, caDirectory } = await provisionFederation(input, kitsDirectory);
    const coordinator = await loadStartupKit(kits.coordinator as string);
    const before = { json: await readFile(join(coordinator.folder, 'manifest.json'), 'utf8'), sig: await readFile(join(coordinator.folder, 'manifest.sig'), 'utf8') };
    await revokeCertificate(caDirectory, kitsDirectory, 'shop', 'key compromise');
    const current = await reloadManifest(coordinator);
    expect(current.revoked.map((entry) => entry.reason)).toEqual(['key compromise']);

    // Someone puts the old (validly signed) manifest back: still refused.
    await writeFile(join(coordinator.folder, 'manifest.json'), before.json);
    await writeFile(join(coordinator.folder, 'manifest.sig'), before.sig);
    await expect(reloadManifest(coordinator, current)).rejects.toThrow(/refusing to roll back/);
  });

  it('verifies against the CA loaded at start, not a swapped ca.crt, and stops a node that was itself revoked', async () => {
    const kitsDirectory = join(directory, 'b');
    const { kits, caDirectory } = await provisionFederation(input, kitsDirectory);
    const foreign = await provisionFederation(input, join(directory, 'c'));
    const bank = await loadStartupKit(kits.bank as string);
    for (const name of ['ca.crt', 'manifest.json', 'manifest.sig']) await copyFile(join(foreign.kits.bank as string, name), join(bank.folder, name));
    await expect(reloadManifest(bank)).rejects.toThrow(/manifest signature \(manifest\.sig\) does not verify/);

    const shop = await loadStartupKit(kits.shop as string);
    await revokeCertificate(caDirectory, kitsDirectory, 'shop', 'left');
    await expect(reloadManifest(shop)).rejects.toBeInstanceOf(KeyCustodyError);
  });
});
