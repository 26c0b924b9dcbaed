import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeManifestFiles } from './write-manifest-files.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('writeManifestFiles', () => {
  it('replaces manifest.json and manifest.sig, leaving no temporary files behind', async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-manifest-files-'));
    await writeManifestFiles(directory, { json: '{"a":1}', signature: 'c2ln' });
    await writeManifestFiles(directory, { json: '{"a":2}', signature: 'c2lnMg==' });
    expect((await readdir(directory)).sort()).toEqual(['manifest.json', 'manifest.sig']);
    expect(await readFile(join(directory, 'manifest.json'), 'utf8')).toBe('{"a":2}');
    expect(await readFile(join(directory, 'manifest.sig'), 'utf8')).toBe('c2lnMg==\n');
  });
});
