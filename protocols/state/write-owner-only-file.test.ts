import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFileExistsError, writeOwnerOnlyFile, type OverwritePolicy } from './write-owner-only-file.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function freshFolder(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-owner-only-'));
  directories.push(directory);
  return directory;
}

async function withUmask<T>(umask: number, run: () => Promise<T>): Promise<T> {
  const previous = process.umask(umask);
  try {
    return await run();
  } finally {
    process.umask(previous);
  }
}

describe('writeOwnerOnlyFile', () => {
  for (const policy of ['refuse', 'replace', 'replace-atomically'] as const satisfies readonly OverwritePolicy[]) {
    it(`creates a mode 0600 file whatever the umask (${policy})`, async () => {
      const path = join(await freshFolder(), 'secret.key');
      await withUmask(0o000, () => writeOwnerOnlyFile(path, 'secret', policy));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readFile(path, 'utf8')).toBe('secret');
    });
  }

  it('refuse: leaves an existing file untouched and fails with EEXIST', async () => {
    const path = join(await freshFolder(), 'node.key');
    await writeOwnerOnlyFile(path, 'first', 'refuse');
    const failure = await writeOwnerOnlyFile(path, 'second', 'refuse').catch((error: unknown) => error);
    expect(isFileExistsError(failure)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('first');
  });

  for (const policy of ['replace', 'replace-atomically'] as const) {
    it(`${policy}: rewrites an existing file and tightens a looser mode to 0600`, async () => {
      const directory = await freshFolder();
      const path = join(directory, 'state.json');
      await writeFile(path, 'old', { mode: 0o644 });
      await chmod(path, 0o644);
      await writeOwnerOnlyFile(path, 'new', policy);
      expect(await readFile(path, 'utf8')).toBe('new');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(directory)).toEqual(['state.json']); // no temporary file left behind
    });
  }
});
