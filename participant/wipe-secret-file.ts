import { randomFillSync } from 'node:crypto';
import { open, rm } from 'node:fs/promises';

/**
 * Overwrites a secret file in place with random bytes, fsyncs, then removes it: a key share must not
 * stay readable on disk once the job it was made for has ended. (A copy-on-write or journalling file
 * system may still hold old blocks; README says so.) Returns false when there was no file.
 */
export async function wipeSecretFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const noise = Buffer.alloc(Math.min(size, 1 << 20));
    for (let offset = 0; offset < size; offset += noise.length) {
      randomFillSync(noise);
      await handle.write(noise, 0, Math.min(noise.length, size - offset), offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rm(path, { force: true });
  return true;
}
