import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wipeSecretFile } from './wipe-secret-file.js';

const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('wipeSecretFile', () => {
  it('overwrites the bytes before removing the file, and says when there was none', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hefl-wipe-'));
    folders.push(folder);
    const path = join(folder, 'secret-share.key');
    const secret = Buffer.alloc(3 * 1024 * 1024 + 5, 0x5a);
    await writeFile(path, secret, { mode: 0o600 });
    // Keep a handle's view of the inode: after the wipe, the old bytes must be gone from it too.
    const { open } = await import('node:fs/promises');
    const reader = await open(path, 'r');
    expect(await wipeSecretFile(path)).toBe(true);
    const after = Buffer.alloc(secret.length);
    await reader.read(after, 0, after.length, 0);
    await reader.close();
    expect(after.equals(secret)).toBe(false);
    expect(after.subarray(0, 4096).filter((byte) => byte === 0x5a).length).toBeLessThan(100);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await wipeSecretFile(path)).toBe(false);
    await expect(readFile(path)).rejects.toThrow();
  });
});
