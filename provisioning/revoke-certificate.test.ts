import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../protocols/trust/federation-manifest.js';
import { provisionFederation } from './provision-federation.js';
import { revokeCertificate } from './revoke-certificate.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});
const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop'] };

async function provisioned() {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-revoke-'));
  directories.push(directory);
  const kitsDirectory = join(directory, 'kits');
  return { kitsDirectory, ...(await provisionFederation(input, kitsDirectory)) };
}

async function manifestIn(folder: string, caPem: string) {
  return verifyManifest(await readFile(join(folder, 'manifest.json'), 'utf8'), await readFile(join(folder, 'manifest.sig'), 'utf8'), caPem);
}

describe('revokeCertificate', () => {
  it('adds the serial to the revocation list and re-signs the manifest in the CA folder and every kit', async () => {
    const { kitsDirectory, kits, caDirectory, manifest } = await provisioned();
    const shop = manifest.nodes.find((node) => node.id === 'shop');
    const result = await revokeCertificate(caDirectory, kitsDirectory, 'shop', 'key compromise');
    expect(result.updatedKits.sort()).toEqual(Object.values(kits).sort());
    expect(result.manifest.revoked).toEqual([{ serialNumber: shop?.serialNumber, reason: 'key compromise', revokedAt: result.manifest.issuedAt }]);
    expect(Date.parse(result.manifest.issuedAt)).toBeGreaterThan(Date.parse(manifest.issuedAt));
    const caPem = await readFile(join(caDirectory, 'ca.crt'), 'utf8');
    for (const folder of [caDirectory, ...Object.values(kits)]) expect(await manifestIn(folder, caPem)).toEqual(result.manifest);

    // Revoking twice keeps one entry; revoking another keeps the first.
    await revokeCertificate(caDirectory, kitsDirectory, 'shop', 'again');
    const after = await revokeCertificate(caDirectory, kitsDirectory, 'bank', 'left the federation');
    expect(after.manifest.revoked.map((entry) => entry.reason)).toEqual(['key compromise', 'left the federation']);
  });

  it('leaves kits of another federation alone and refuses unknown nodes, empty reasons and an edited CA manifest', async () => {
    const first = await provisioned();
    const second = await provisioned();
    const { updatedKits } = await revokeCertificate(first.caDirectory, second.kitsDirectory, 'shop', 'test');
    expect(updatedKits).toEqual([]);
    await expect(revokeCertificate(first.caDirectory, first.kitsDirectory, 'mallory', 'x')).rejects.toThrow(/no node "mallory" in federation "banks" \(nodes: coordinator, bank, shop, auditor\)/);
    await expect(revokeCertificate(first.caDirectory, first.kitsDirectory, 'shop', '  ')).rejects.toThrow(/needs a reason/);
    // An edit to the CA's manifest copy must not be laundered into a fresh signature.
    const path = join(first.caDirectory, 'manifest.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"shop"', '"shoq"'));
    await expect(revokeCertificate(first.caDirectory, first.kitsDirectory, 'bank', 'x')).rejects.toThrow(/manifest signature/);
  });
});
