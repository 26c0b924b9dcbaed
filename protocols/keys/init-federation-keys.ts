import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CkksSession } from '../ckks/ckks-session.js';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { generateIdentity, type IdentityKeyPair } from '../identity/participant-identity.js';
import type { CkksParameters } from '../ckks/ckks-parameters.js';
import { writeOwnerOnlyFile } from '../state/write-owner-only-file.js';
import {
  IDENTITY_KEY_FILE,
  identityRosterFingerprint,
  LEDGER_KEY_FILE,
  keyFingerprint,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SECRET_KEY_FILE,
  type KeyFolderManifest,
} from './key-folder-manifest.js';

export interface InitializedKeyFolders {
  readonly coordinator: string;
  readonly participants: Readonly<Record<string, string>>;
  readonly keyFingerprint: string;
}

/** Key folders are written fresh each time (`hefl keys init` replaces what an earlier run left). */
async function writePrivateFile(path: string, contents: string | Uint8Array): Promise<void> {
  await writeOwnerOnlyFile(path, contents, 'replace');
}

/**
 * `hefl keys init`: writes one folder per node. Single-key custody: a CKKS key pair made here; the
 * coordinator's folder gets the public key only, participants also get the secret key (0600).
 * Threshold custody (the default): no CKKS key is made here at all; each participant gets an
 * Ed25519 identity (0600) and every folder the roster of identity public keys, with which the
 * participants sign their key-setup messages when the job starts.
 */
/** What key folders depend on, the same for horizontal and vertical jobs. */
export interface KeyedJob {
  readonly jobId: string;
  readonly kind?: 'vertical-logistic-regression';
  readonly ckks: CkksParameters;
  readonly custody: { readonly mode: 'threshold' | 'single-key' | 'none' };
  readonly federation: { readonly participants: readonly string[] };
}

export async function initFederationKeys(job: KeyedJob, outDirectory: string): Promise<InitializedKeyFolders> {
  const parametersFingerprint = ckksParametersFingerprint(job.ckks);
  // Fail here, not at job start, if the parameters are not 128-bit secure.
  const session = await CkksSession.create(job.ckks);
  let keyPair: { publicKey: Uint8Array; secretKey: Uint8Array } | undefined;
  try {
    if (job.custody.mode === 'single-key') keyPair = session.generateKeyPair();
  } finally {
    session.dispose();
  }
  // Every participant gets an Ed25519 identity: it signs its egress ledger and, under threshold
  // custody, its key-setup messages and updates.
  const identities = new Map<string, IdentityKeyPair>();
  for (const id of job.federation.participants) identities.set(id, generateIdentity());
  // The coordinator signs its ingress ledger, so auditors can match what was sent with what arrived.
  const coordinatorIdentity = generateIdentity();
  const roster = Object.fromEntries([...identities, ['coordinator', coordinatorIdentity] as const].map(([id, identity]) => [id, identity.publicKeyPem]));
  const fingerprint = keyPair ? keyFingerprint(parametersFingerprint, keyPair.publicKey) : identityRosterFingerprint(parametersFingerprint, roster);
  const manifest = (role: KeyFolderManifest['role'], participantId?: string): KeyFolderManifest => ({
    format: 'hefl-keys/1',
    jobId: job.jobId,
    role,
    ...(participantId ? { participantId } : {}),
    custody: job.custody.mode,
    jobKind: job.kind ?? 'horizontal',
    ckks: job.ckks,
    parametersFingerprint,
    identities: roster,
    keyFingerprint: fingerprint,
    createdAt: new Date().toISOString(),
  });

  const coordinator = join(outDirectory, 'coordinator');
  await mkdir(coordinator, { recursive: true, mode: 0o700 });
  if (keyPair) await writeFile(join(coordinator, PUBLIC_KEY_FILE), keyPair.publicKey);
  await writePrivateFile(join(coordinator, LEDGER_KEY_FILE), coordinatorIdentity.privateKeyPem);
  await writeFile(join(coordinator, MANIFEST_FILE), `${JSON.stringify(manifest('coordinator'), null, 2)}\n`);

  const participants: Record<string, string> = {};
  for (const participantId of job.federation.participants) {
    const folder = join(outDirectory, participantId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (keyPair) {
      await writeFile(join(folder, PUBLIC_KEY_FILE), keyPair.publicKey);
      await writePrivateFile(join(folder, SECRET_KEY_FILE), keyPair.secretKey);
    }
    const identity = identities.get(participantId);
    if (identity) await writePrivateFile(join(folder, IDENTITY_KEY_FILE), identity.privateKeyPem);
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest('participant', participantId), null, 2)}\n`);
    participants[participantId] = folder;
  }
  keyPair?.secretKey.fill(0);
  return { coordinator, participants, keyFingerprint: fingerprint };
}
