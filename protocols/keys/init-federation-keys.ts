import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CkksSession } from '../ckks/ckks-session.js';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import type { JobSpec } from '../job/job-spec.js';
import { keyFingerprint, MANIFEST_FILE, PUBLIC_KEY_FILE, SECRET_KEY_FILE, type KeyFolderManifest } from './key-folder-manifest.js';

export interface InitializedKeyFolders {
  readonly coordinator: string;
  readonly participants: Readonly<Record<string, string>>;
  readonly keyFingerprint: string;
}

/**
 * `hefl keys init`: creates the federation's CKKS key pair offline and writes one folder per node.
 * The coordinator's folder gets public material only; each participant's folder also gets the secret
 * key (0600). Hand each folder to its node out of band.
 */
export async function initFederationKeys(job: JobSpec, outDirectory: string): Promise<InitializedKeyFolders> {
  const session = await CkksSession.create(job.ckks);
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  try {
    keys = session.generateKeyPair();
  } finally {
    session.dispose();
  }
  const parametersFingerprint = ckksParametersFingerprint(job.ckks);
  const fingerprint = keyFingerprint(parametersFingerprint, keys.publicKey);
  const manifest = (role: KeyFolderManifest['role'], participantId?: string): KeyFolderManifest => ({
    format: 'hefl-keys/1',
    jobId: job.jobId,
    role,
    ...(participantId ? { participantId } : {}),
    custody: 'single-key',
    ckks: job.ckks,
    parametersFingerprint,
    keyFingerprint: fingerprint,
    createdAt: new Date().toISOString(),
  });

  const coordinator = join(outDirectory, 'coordinator');
  await mkdir(coordinator, { recursive: true, mode: 0o700 });
  await writeFile(join(coordinator, PUBLIC_KEY_FILE), keys.publicKey);
  await writeFile(join(coordinator, MANIFEST_FILE), `${JSON.stringify(manifest('coordinator'), null, 2)}\n`);

  const participants: Record<string, string> = {};
  for (const participantId of job.federation.participants) {
    const folder = join(outDirectory, participantId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await writeFile(join(folder, PUBLIC_KEY_FILE), keys.publicKey);
    await writeFile(join(folder, SECRET_KEY_FILE), keys.secretKey, { mode: 0o600 });
    await chmod(join(folder, SECRET_KEY_FILE), 0o600);
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest('participant', participantId), null, 2)}\n`);
    participants[participantId] = folder;
  }
  keys.secretKey.fill(0);
  return { coordinator, participants, keyFingerprint: fingerprint };
}
