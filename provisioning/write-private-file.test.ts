import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../protocols/errors.js';
import { writePrivateFile } from './write-private-file.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('writePrivateFile', () => {
  it('writes mode 0600 whatever the umask, and never overwrites', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-private-'));
    directories.push(directory);
    const path = join(directory, 'node.key');
    const previous = process.umask(0o000);
    try {
      await writePrivateFile(path, 'secret');
    } finally {
      process.umask(previous);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(writePrivateFile(path, 'other')).rejects.toBeInstanceOf(KeyCustodyError);
    expect(await readFile(path, 'utf8')).toBe('secret');
  });
});
