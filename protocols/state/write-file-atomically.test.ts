import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from './write-file-atomically.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('replaces the file whole, private to its owner, leaving no temporary file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-atomic-'));
    directories.push(directory);
    const path = join(directory, 'state.json');
    await writeFile(path, 'old');
    await writeFileAtomically(path, '{"round":3}');
    expect(await readFile(path, 'utf8')).toBe('{"round":3}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['state.json']);
  });
});
