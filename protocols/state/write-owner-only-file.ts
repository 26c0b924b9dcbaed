import { chmod, writeFile } from 'node:fs/promises';
import { writeFileAtomically } from './write-file-atomically.js';

/**
 * What to do when the file is already there:
 * - `refuse`: fail with the EEXIST error and leave the file as it was (private keys: replacing one
 *   would orphan every certificate issued for it);
 * - `replace`: truncate and rewrite it in place (fresh key folders);
 * - `replace-atomically`: write beside it and rename over it, so a crash leaves the old or the new
 *   file, never a torn one (saved state).
 */
export type OverwritePolicy = 'refuse' | 'replace' | 'replace-atomically';

/**
 * The one way HEFL writes a file only its owner may read (mode 0600: keys, identities, saved state).
 * The mode given at creation is filtered by the umask, so the file is chmod-ed to exactly 0600 after;
 * an existing file keeps its old mode on a plain rewrite, so that chmod also tightens a replaced file.
 */
export async function writeOwnerOnlyFile(path: string, contents: string | Uint8Array, overwrite: OverwritePolicy): Promise<void> {
  if (overwrite === 'replace-atomically') await writeFileAtomically(path, contents, 0o600);
  else await writeFile(path, contents, { mode: 0o600, flag: overwrite === 'refuse' ? 'wx' : 'w' });
  await chmod(path, 0o600);
}

export function isFileExistsError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST';
}
