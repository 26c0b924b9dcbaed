import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KIT_FILES } from '../protocols/trust/federation-manifest.js';

/**
 * Writes a signed manifest (manifest.json + manifest.sig) into a kit or the CA folder. Each file is
 * written beside its target and renamed over it, so a reader never sees a half-written file.
 */
export async function writeManifestFiles(folder: string, signed: { json: string; signature: string }): Promise<void> {
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  const json = join(folder, KIT_FILES.manifest);
  const signature = join(folder, KIT_FILES.signature);
  await writeFile(json + suffix, signed.json, { mode: 0o644 });
  await writeFile(signature + suffix, `${signed.signature}\n`, { mode: 0o644 });
  await rename(json + suffix, json);
  await rename(signature + suffix, signature);
}
