import { KeyCustodyError } from '../protocols/errors.js';
import { isFileExistsError, writeOwnerOnlyFile } from '../protocols/state/write-owner-only-file.js';

/**
 * Writes a private key readable by its owner only. Refuses to replace an existing file: silently
 * overwriting a key would orphan every certificate issued for it.
 */
export async function writePrivateFile(path: string, contents: string): Promise<void> {
  try {
    await writeOwnerOnlyFile(path, contents, 'refuse');
  } catch (cause) {
    if (isFileExistsError(cause)) {
      throw new KeyCustodyError(`${path} already exists; refusing to overwrite a private key (provision into a new folder)`, { cause });
    }
    throw cause;
  }
}
