import { chmod, writeFile } from 'node:fs/promises';
import { KeyCustodyError } from '../errors.js';

/**
 * Writes a private key readable by its owner only. Refuses to replace an existing file: silently
 * overwriting a key would orphan every certificate issued for it.
 */
export async function writePrivateFile(path: string, contents: string): Promise<void> {
  try {
    await writeFile(path, contents, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyCustodyError(`${path} already exists; refusing to overwrite a private key (provision into a new folder)`, { cause });
    }
    throw cause;
  }
  // The mode passed to writeFile is filtered by the umask; chmod makes it exactly 0600.
  await chmod(path, 0o600);
}
