import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeOwnerOnlyFile } from '../../protocols/state/write-owner-only-file.js';

/**
 * This party's key material of a vertical job, kept in its state folder (owner-only, written whole)
 * so a restarted party continues with the same collective key and sealing key; wiped when the job
 * ends (participant/wipe-secret-file.ts). Nothing here leaves the node.
 */
const storedKeysSchema = z.strictObject({
  format: z.literal('hefl-vertical-keys/1'),
  jobId: z.string(),
  secretShare: z.string(),
  collectivePublicKey: z.string(),
  sealingPrivateKey: z.string(),
  sealingPublicKey: z.string(),
  sealingPublicKeys: z.record(z.string(), z.string()),
});

export interface StoredVerticalKeys {
  readonly secretShare: Uint8Array;
  readonly collectivePublicKey: Uint8Array;
  readonly sealingPrivateKey: KeyObject;
  readonly sealingPublicKey: Uint8Array;
  readonly sealingPublicKeys: ReadonlyMap<string, Uint8Array>;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export async function saveVerticalKeys(path: string, jobId: string, keys: StoredVerticalKeys): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const stored: z.infer<typeof storedKeysSchema> = {
    format: 'hefl-vertical-keys/1',
    jobId,
    secretShare: b64(keys.secretShare),
    collectivePublicKey: b64(keys.collectivePublicKey),
    sealingPrivateKey: b64(keys.sealingPrivateKey.export({ type: 'pkcs8', format: 'der' })),
    sealingPublicKey: b64(keys.sealingPublicKey),
    sealingPublicKeys: Object.fromEntries([...keys.sealingPublicKeys].map(([id, key]) => [id, b64(key)])),
  };
  await writeOwnerOnlyFile(path, JSON.stringify(stored), 'replace-atomically');
}

/** The stored keys of `jobId`, or undefined when this party has none yet. */
export async function loadVerticalKeys(path: string, jobId: string): Promise<StoredVerticalKeys | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const stored = storedKeysSchema.parse(JSON.parse(text));
  if (stored.jobId !== jobId) return undefined;
  return {
    secretShare: bytes(stored.secretShare),
    collectivePublicKey: bytes(stored.collectivePublicKey),
    sealingPrivateKey: createPrivateKey({ key: Buffer.from(stored.sealingPrivateKey, 'base64'), format: 'der', type: 'pkcs8' }),
    sealingPublicKey: bytes(stored.sealingPublicKey),
    sealingPublicKeys: new Map(Object.entries(stored.sealingPublicKeys).map(([id, key]) => [id, bytes(key)])),
  };
}
