import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ckksParametersSchema } from '../job/job-spec.js';

/** `keys.json` in every key folder: what the folder is for and which parameters its keys belong to. */
export const keyFolderManifestSchema = z.object({
  format: z.literal('hefl-keys/1'),
  jobId: z.string().min(1),
  role: z.enum(['coordinator', 'participant']),
  participantId: z.string().min(1).optional(),
  custody: z.literal('single-key'),
  ckks: ckksParametersSchema,
  parametersFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});

export type KeyFolderManifest = z.infer<typeof keyFolderManifestSchema>;

export const PUBLIC_KEY_FILE = 'public.key';
export const SECRET_KEY_FILE = 'secret.key';
export const MANIFEST_FILE = 'keys.json';

/** Binds a public key to its parameters; participants send it on join to detect a mismatched folder. */
export function keyFingerprint(parametersFingerprint: string, publicKey: Uint8Array): string {
  return createHash('sha256').update(parametersFingerprint).update(publicKey).digest('hex');
}
