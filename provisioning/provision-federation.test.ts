import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../protocols/errors.js';
import { loadStartupKit } from '../protocols/trust/load-startup-kit.js';
import { provisionFederation } from './provision-federation.js';

const directories: string[] = [];
async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-provision-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: [{ id: 'bank' }, { id: 'shop' }], auditors: [{ id: 'inspector' }] };

describe('provisionFederation', () => {
  it('writes one valid kit per node, keys 0600, and keeps the CA key out of every kit', async () => {
    const out = await temporaryDirectory();
    const { kits, caDirectory, manifest } = await provisionFederation(input, out);
    expect(Object.keys(kits).sort()).toEqual(['bank', 'coordinator', 'inspector', 'shop']);
    expect((await readdir(out)).sort()).toEqual(['bank', 'ca', 'coordinator', 'inspector', 'shop']);
    expect((await readdir(caDirectory)).sort()).toEqual(['ca.crt', 'ca.key', 'manifest.json', 'manifest.sig']);
    expect((await stat(join(caDirectory, 'ca.key'))).mode & 0o777).toBe(0o600);
    const caKey = await readFile(join(caDirectory, 'ca.key'), 'utf8');
    for (const [id, folder] of Object.entries(kits)) {
      expect((await readdir(folder)).sort()).toEqual(['ca.crt', 'manifest.json', 'manifest.sig', 'node.crt', 'node.key']);
      expect((await stat(join(folder, 'node.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
      for (const name of await readdir(folder)) expect(await readFile(join(folder, name), 'utf8')).not.toContain(caKey.trim().split('\n')[1]);
      const kit = await loadStartupKit(folder);
      expect(kit.nodeId).toBe(id);
      expect(kit.manifest).toEqual(manifest);
    }
    expect(manifest.nodes.map((node) => [node.id, node.role])).toEqual([
      ['coordinator', 'coordinator'],
      ['bank', 'participant'],
      ['shop', 'participant'],
      ['inspector', 'auditor'],
    ]);
    expect(manifest).toMatchObject({ format: 'hefl-manifest/1', federationId: 'banks', coordinatorAddress: '127.0.0.1:7700', revoked: [] });
  });

  it('refuses to provision over an existing federation, and names invalid input fields', async () => {
    const out = await temporaryDirectory();
    await provisionFederation(input, out);
    const before = await readFile(join(out, 'ca', 'ca.key'), 'utf8');
    await expect(provisionFederation(input, out)).rejects.toThrow(/ca already exists; provision a federation into a new folder/);
    expect(await readFile(join(out, 'ca', 'ca.key'), 'utf8')).toBe(before);
    await expect(provisionFederation({ ...input, participants: [{ id: 'Bank!' }] }, await temporaryDirectory())).rejects.toThrow(/federation\.json: participants\.0\.id/);
    await expect(provisionFederation(input, await temporaryDirectory(), { notBefore: new Date(), notAfter: new Date(Date.now() - 1) })).rejects.toBeInstanceOf(ConfigError);
    await expect(provisionFederation(input, await temporaryDirectory(), { nodeValidity: { nobody: { notBefore: new Date(0), notAfter: new Date() } } })).rejects.toThrow(
      /nodeValidity names "nobody"/,
    );
  });
});
