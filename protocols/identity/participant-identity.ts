import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 identities that sign the threshold key-setup messages, so the coordinator cannot forge
 * or swap a participant's commitment or public-key share. Keys travel as PEM text.
 */
export interface IdentityKeyPair {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

export function generateIdentity(): IdentityKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function loadIdentityPrivateKey(pem: string): KeyObject {
  return createPrivateKey({ key: pem, format: 'pem' });
}

export function loadIdentityPublicKey(pem: string): KeyObject {
  return createPublicKey({ key: pem, format: 'pem' });
}

/** The exact bytes a key-setup signature covers: domain, job, participant, step, then the value. */
export function keySetupSigningPayload(context: { jobId: string; participantId: string; step: string }, value: Uint8Array): Buffer {
  const header = Buffer.from(`hefl-key-setup/1\0${context.jobId}\0${context.participantId}\0${context.step}\0`, 'utf8');
  return Buffer.concat([header, value]);
}

export function signKeySetupValue(privateKey: KeyObject, context: { jobId: string; participantId: string; step: string }, value: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, keySetupSigningPayload(context, value), privateKey));
}

export function verifyKeySetupValue(
  publicKey: KeyObject,
  context: { jobId: string; participantId: string; step: string },
  value: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(null, keySetupSigningPayload(context, value), publicKey, signature);
  } catch {
    return false;
  }
}

export interface UpdateSigningContext {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly kind: string;
  readonly vectorLength: number;
  readonly chunkCount: number;
}

/**
 * Digest of an update's chunks in order: SHA-256 over the SHA-256 of every chunk. Signing the list of
 * chunk hashes (not one running hash) lets a node check any chunk it fetched against the signed update
 * without fetching the others (sampled aggregate verification).
 */
export class UpdateDigest {
  private readonly hashes: Buffer[] = [];

  add(chunk: Uint8Array): void {
    this.hashes.push(createHash('sha256').update(chunk).digest());
  }

  /** The SHA-256 of each chunk added so far, in order. */
  chunkHashes(): readonly Buffer[] {
    return this.hashes;
  }

  digest(): Buffer {
    return UpdateDigest.ofChunkHashes(this.hashes);
  }

  /** The digest of an update whose chunk hashes (32 bytes each, in order) are known. */
  static ofChunkHashes(hashes: readonly Uint8Array[]): Buffer {
    const hash = createHash('sha256').update('hefl-update-chunks/1\0');
    const count = Buffer.alloc(8);
    count.writeBigUInt64LE(BigInt(hashes.length));
    hash.update(count);
    for (const chunkHash of hashes) {
      if (chunkHash.length !== 32) throw new RangeError(`a chunk hash has ${chunkHash.length} bytes, not 32`);
      hash.update(chunkHash);
    }
    return hash.digest();
  }
}

function updateSigningPayload(context: UpdateSigningContext, digest: Uint8Array): Buffer {
  const header = Buffer.from(
    `hefl-update/2\0${context.jobId}\0${context.participantId}\0${context.round}\0${context.kind}\0` +
      `${context.vectorLength}\0${context.chunkCount}\0`,
    'utf8',
  );
  return Buffer.concat([header, digest]);
}

/** A participant's signature over its whole encrypted update (threshold custody). */
export function signUpdate(privateKey: KeyObject, context: UpdateSigningContext, digest: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, updateSigningPayload(context, digest), privateKey));
}

export function verifyUpdateSignature(publicKey: KeyObject, context: UpdateSigningContext, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, updateSigningPayload(context, digest), publicKey, signature);
  } catch {
    return false;
  }
}
