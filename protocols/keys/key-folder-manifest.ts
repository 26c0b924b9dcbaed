import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ckksParametersSchema } from '../ckks/ckks-parameters.js';

/**
 * `keys.json` in every key folder: what the folder is for, its custody mode and the parameters its
 * keys belong to. In threshold custody no CKKS key exists yet at this point: each participant makes
 * its own secret share when the job starts. The folders then carry the Ed25519 identities
 * (`identities`: participant id -> public key PEM) that sign the key-setup messages.
 */
export const keyFolderManifestSchema = z.object({
  format: z.literal('hefl-keys/1'),
  jobId: z.string().min(1),
  role: z.enum(['coordinator', 'participant']),
  participantId: z.string().min(1).optional(),
  custody: z.enum(['single-key', 'threshold', 'none']),
  // Which protocol the folder's job runs: its nodes pick the horizontal or the vertical service from it.
  jobKind: z.enum(['horizontal', 'vertical-logistic-regression']).default('horizontal'),
  ckks: ckksParametersSchema,
  parametersFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  identities: z.record(z.string(), z.string().startsWith('-----BEGIN PUBLIC KEY-----')).optional(),
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});

export type KeyFolderManifest = z.infer<typeof keyFolderManifestSchema>;

export const PUBLIC_KEY_FILE = 'public.key';
export const SECRET_KEY_FILE = 'secret.key';
export const IDENTITY_KEY_FILE = 'identity.key';
/** The coordinator's Ed25519 key for signing its ingress ledger; it can decrypt nothing. */
export const LEDGER_KEY_FILE = 'ledger.key';
export const MANIFEST_FILE = 'keys.json';

/** Binds a public key to its parameters; participants send it on join to detect a mismatched folder. */
export function keyFingerprint(parametersFingerprint: string, publicKey: Uint8Array): string {
  return createHash('sha256').update(parametersFingerprint).update(publicKey).digest('hex');
}

/** Threshold custody: binds the identity roster (sorted by participant id) to the parameters. */
export function identityRosterFingerprint(parametersFingerprint: string, identities: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256').update(parametersFingerprint);
  for (const id of Object.keys(identities).sort()) hash.update(`\0${id}\0${identities[id] ?? ''}`);
  return hash.digest('hex');
}
