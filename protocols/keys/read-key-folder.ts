import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { loadIdentityPrivateKey } from '../identity/participant-identity.js';
import { parseConfigText } from '../job/read-config-file.js';
import {
  IDENTITY_KEY_FILE,
  identityRosterFingerprint,
  LEDGER_KEY_FILE,
  keyFingerprint,
  keyFolderManifestSchema,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SECRET_KEY_FILE,
  type KeyFolderManifest,
} from './key-folder-manifest.js';

export interface CoordinatorKeys {
  readonly manifest: KeyFolderManifest;
  /** Single-key custody only: the federation's CKKS public key. */
  readonly publicKey: Uint8Array | undefined;
  /** The coordinator's Ed25519 key for its ingress ledger (no decryption power). */
  readonly ledgerKey?: KeyObject | undefined;
}

export interface ParticipantKeys extends CoordinatorKeys {
  /** Single-key custody only: the shared CKKS secret key. */
  readonly secretKey: Uint8Array | undefined;
  /** This participant's Ed25519 identity: signs its egress ledger (and, under threshold custody, its key setup and updates). */
  readonly identityKey: KeyObject | undefined;
}

async function readManifest(folder: string): Promise<{ manifest: KeyFolderManifest; names: string[]; publicKey: Uint8Array | undefined }> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    throw new ConfigError(`key folder ${folder} does not exist or cannot be read (create it with \`hefl keys init\`)`);
  }
  if (!names.includes(MANIFEST_FILE)) throw new ConfigError(`key folder ${folder} has no ${MANIFEST_FILE}`);
  const manifestPath = join(folder, MANIFEST_FILE);
  const manifest = parseConfigText(await readFile(manifestPath, 'utf8'), manifestPath, keyFolderManifestSchema);
  if (ckksParametersFingerprint(manifest.ckks) !== manifest.parametersFingerprint) {
    throw new ConfigError(`${manifestPath}: parametersFingerprint does not match its ckks parameters`);
  }
  let publicKey: Uint8Array | undefined;
  if (manifest.custody === 'single-key') {
    if (!names.includes(PUBLIC_KEY_FILE)) throw new ConfigError(`key folder ${folder} has no ${PUBLIC_KEY_FILE}`);
    publicKey = new Uint8Array(await readFile(join(folder, PUBLIC_KEY_FILE)));
    if (keyFingerprint(manifest.parametersFingerprint, publicKey) !== manifest.keyFingerprint) {
      throw new ConfigError(`${join(folder, PUBLIC_KEY_FILE)} does not match the keyFingerprint in ${MANIFEST_FILE}`);
    }
  } else {
    if (!manifest.identities) throw new ConfigError(`${manifestPath}: ${manifest.custody} custody needs the identities roster`);
    if (identityRosterFingerprint(manifest.parametersFingerprint, manifest.identities) !== manifest.keyFingerprint) {
      throw new ConfigError(`${manifestPath}: the identities roster does not match keyFingerprint`);
    }
  }
  return { manifest, names, publicKey };
}

async function readPrivateFile(path: string): Promise<Buffer> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch {
    throw new KeyCustodyError(`${path} is missing`);
  }
  if ((mode & 0o077) !== 0) {
    throw new KeyCustodyError(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  return readFile(path);
}

/**
 * The coordinator's key folder must hold public material only. A secret key there (or any file we do
 * not expect) means custody was broken, so the coordinator refuses to start rather than run with it.
 */
export async function readCoordinatorKeys(folder: string): Promise<CoordinatorKeys> {
  const { manifest, names, publicKey } = await readManifest(folder);
  const unexpected = names.filter((name) => name !== MANIFEST_FILE && name !== PUBLIC_KEY_FILE && name !== LEDGER_KEY_FILE);
  if (names.includes(SECRET_KEY_FILE) || names.includes(IDENTITY_KEY_FILE) || unexpected.some((name) => /secret|private|identity|\.sk$/i.test(name))) {
    throw new KeyCustodyError(
      `refusing to start: the coordinator key folder ${folder} contains secret key material (${unexpected.join(', ')}). ` +
        'The coordinator must only ever hold public keys; remove the file and keep it with the participants.',
    );
  }
  if (unexpected.length > 0) {
    throw new KeyCustodyError(`refusing to start: unexpected files in the coordinator key folder ${folder}: ${unexpected.join(', ')}`);
  }
  if (manifest.role !== 'coordinator') throw new KeyCustodyError(`${folder} is a ${manifest.role} key folder, not the coordinator's`);
  const ledgerKey = names.includes(LEDGER_KEY_FILE) ? loadIdentityPrivateKey((await readPrivateFile(join(folder, LEDGER_KEY_FILE))).toString('utf8')) : undefined;
  return { manifest, publicKey, ledgerKey };
}

export async function readParticipantKeys(folder: string): Promise<ParticipantKeys> {
  const { manifest, publicKey } = await readManifest(folder);
  if (manifest.role !== 'participant') {
    throw new KeyCustodyError(`${folder} is the ${manifest.role}'s key folder; a participant needs its own`);
  }
  const secretKey = manifest.custody === 'single-key' ? new Uint8Array(await readPrivateFile(join(folder, SECRET_KEY_FILE))) : undefined;
  const pem = await readPrivateFile(join(folder, IDENTITY_KEY_FILE));
  let identityKey: KeyObject;
  try {
    identityKey = loadIdentityPrivateKey(pem.toString('utf8'));
  } catch {
    throw new KeyCustodyError(`${join(folder, IDENTITY_KEY_FILE)} is not an Ed25519 private key`);
  } finally {
    pem.fill(0);
  }
  return { manifest, publicKey, secretKey, identityKey };
}
