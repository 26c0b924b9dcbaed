import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { parseConfigText } from '../job/read-config-file.js';
import {
  keyFingerprint,
  keyFolderManifestSchema,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SECRET_KEY_FILE,
  type KeyFolderManifest,
} from './key-folder-manifest.js';

export interface CoordinatorKeys {
  readonly manifest: KeyFolderManifest;
  readonly publicKey: Uint8Array;
}

export interface ParticipantKeys extends CoordinatorKeys {
  readonly secretKey: Uint8Array;
}

async function readManifestAndPublicKey(folder: string): Promise<CoordinatorKeys> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    throw new ConfigError(`key folder ${folder} does not exist or cannot be read (create it with \`hefl keys init\`)`);
  }
  for (const required of [MANIFEST_FILE, PUBLIC_KEY_FILE]) {
    if (!names.includes(required)) throw new ConfigError(`key folder ${folder} has no ${required}`);
  }
  const manifest = parseConfigText(await readFile(join(folder, MANIFEST_FILE), 'utf8'), join(folder, MANIFEST_FILE), keyFolderManifestSchema);
  const publicKey = new Uint8Array(await readFile(join(folder, PUBLIC_KEY_FILE)));
  if (ckksParametersFingerprint(manifest.ckks) !== manifest.parametersFingerprint) {
    throw new ConfigError(`${join(folder, MANIFEST_FILE)}: parametersFingerprint does not match its ckks parameters`);
  }
  if (keyFingerprint(manifest.parametersFingerprint, publicKey) !== manifest.keyFingerprint) {
    throw new ConfigError(`${join(folder, PUBLIC_KEY_FILE)} does not match the keyFingerprint in ${MANIFEST_FILE}`);
  }
  return { manifest, publicKey };
}

/**
 * The coordinator's key folder must hold public material only. A secret key there (or any file we do
 * not expect) means custody was broken, so the coordinator refuses to start rather than run with it.
 */
export async function readCoordinatorKeys(folder: string): Promise<CoordinatorKeys> {
  const keys = await readManifestAndPublicKey(folder);
  const names = await readdir(folder);
  const unexpected = names.filter((name) => name !== MANIFEST_FILE && name !== PUBLIC_KEY_FILE);
  if (names.includes(SECRET_KEY_FILE) || unexpected.some((name) => /secret|private|\.sk$/i.test(name))) {
    throw new KeyCustodyError(
      `refusing to start: the coordinator key folder ${folder} contains secret key material (${unexpected.join(', ')}). ` +
        'The coordinator must only ever hold public keys; remove the file and keep it with the participants.',
    );
  }
  if (unexpected.length > 0) {
    throw new KeyCustodyError(`refusing to start: unexpected files in the coordinator key folder ${folder}: ${unexpected.join(', ')}`);
  }
  if (keys.manifest.role !== 'coordinator') {
    throw new KeyCustodyError(`${folder} is a ${keys.manifest.role} key folder, not the coordinator's`);
  }
  return keys;
}

export async function readParticipantKeys(folder: string): Promise<ParticipantKeys> {
  const keys = await readManifestAndPublicKey(folder);
  if (keys.manifest.role !== 'participant') {
    throw new KeyCustodyError(`${folder} is the ${keys.manifest.role}'s key folder; a participant needs its own (with ${SECRET_KEY_FILE})`);
  }
  const secretPath = join(folder, SECRET_KEY_FILE);
  let mode: number;
  try {
    mode = (await stat(secretPath)).mode;
  } catch {
    throw new KeyCustodyError(`participant key folder ${folder} has no ${SECRET_KEY_FILE}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new KeyCustodyError(`${secretPath} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  return { ...keys, secretKey: new Uint8Array(await readFile(secretPath)) };
}
