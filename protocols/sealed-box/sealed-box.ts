/**
 * Sealed box: encrypts a small message (a coefficient share) to one recipient's X25519 key so that only
 * that recipient can open it, bound to its context by the AAD.
 *
 *   sealed = version (1) || ephemeral public key (32) || AES-256-GCM ciphertext || tag (16)
 *   (key, nonce) = HKDF-SHA-256(ikm = X25519(eph, recipient), salt = eph_pub || recipient_pub,
 *                               info = "hefl/sealed-box/v1", 44 bytes)
 *   AAD = "hefl/sealed-box/v1" || aad
 *
 * A fresh ephemeral key per message makes the derived key single-use, so the derived nonce is safe.
 * The recipient's public key in the salt binds the box to that recipient; the AAD binds it to the job,
 * batch, owner, sender and feature (sealedBoxContext), so it cannot be replayed into another context.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { CiphertextError, KeyCustodyError } from '../errors.js';

const VERSION = 1;
const DOMAIN = 'hefl/sealed-box/v1';
export const SEALING_PUBLIC_KEY_BYTES = 32;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + SEALING_PUBLIC_KEY_BYTES;
/** Bytes a sealed box adds to its plaintext. */
export const SEALED_BOX_OVERHEAD = HEADER_BYTES + TAG_BYTES;

export interface SealingKeyPair {
  /** Raw 32-byte X25519 public key: publish it (signed) to the peers. */
  readonly publicKey: Uint8Array;
  /** Stays with the recipient. */
  readonly privateKey: KeyObject;
}

export function createSealingKeyPair(): SealingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublicKey(publicKey), privateKey };
}

export function sealTo(recipientPublicKey: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const recipient = importPublicKey(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = rawPublicKey(ephemeral.publicKey);
  const { key, nonce } = deriveKey(ephemeral.privateKey, recipient, ephemeralPublic, recipientPublicKey);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(associatedData(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const sealed = new Uint8Array(HEADER_BYTES + body.length);
    sealed[0] = VERSION;
    sealed.set(ephemeralPublic, 1);
    sealed.set(body, HEADER_BYTES);
    return sealed;
  } finally {
    key.fill(0);
  }
}

/** Opens a box sealed to `privateKey` under `aad`; CiphertextError for anything else. */
export function openSealed(privateKey: KeyObject, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'x25519') throw new KeyCustodyError('a sealed box opens only with an X25519 private key');
  if (!(sealed instanceof Uint8Array) || sealed.length < SEALED_BOX_OVERHEAD) throw new CiphertextError(`sealed box: ${sealed.length} bytes is shorter than its ${SEALED_BOX_OVERHEAD}-byte overhead`);
  if (sealed[0] !== VERSION) throw new CiphertextError(`sealed box: version ${sealed[0]}, expected ${VERSION}`);
  const ephemeralPublic = sealed.subarray(1, HEADER_BYTES);
  const recipientPublic = rawPublicKey(createPublicKey(privateKey));
  const { key, nonce } = deriveKey(privateKey, importPublicKey(ephemeralPublic), ephemeralPublic, recipientPublic);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(associatedData(aad));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES)), decipher.final()]));
  } catch (error) {
    throw new CiphertextError('sealed box does not open: wrong recipient, wrong context (AAD) or altered bytes', { cause: error });
  } finally {
    key.fill(0);
  }
}

/** Canonical AAD for a coefficient share: length-prefixed fields, so no two contexts collide. */
export function sealedBoxContext(fields: { readonly jobId: string; readonly batch: number; readonly owner: string; readonly from: string; readonly feature: number; readonly purpose?: string }): Uint8Array {
  const parts = [fields.purpose ?? 'coefficient-share', fields.jobId, String(fields.batch), fields.owner, fields.from, String(fields.feature)];
  const encoded = parts.map((part) => Buffer.from(part, 'utf8'));
  const out = Buffer.alloc(encoded.reduce((sum, part) => sum + 4 + part.length, 0));
  let offset = 0;
  for (const part of encoded) {
    out.writeUInt32BE(part.length, offset);
    part.copy(out, offset + 4);
    offset += 4 + part.length;
  }
  return new Uint8Array(out);
}

/** Restores a private key from PKCS#8 DER (for callers that persist it). */
export function importSealingPrivateKey(pkcs8Der: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new KeyCustodyError('not an X25519 private key (PKCS#8 DER)', { cause: error });
  }
}

function deriveKey(privateKey: KeyObject, publicKey: KeyObject, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): { key: Buffer; nonce: Buffer } {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch (error) {
    throw new CiphertextError('sealed box: X25519 agreement failed (low-order or invalid public key)', { cause: error });
  }
  try {
    if (shared.every((byte) => byte === 0)) throw new CiphertextError('sealed box: X25519 gave the all-zero secret (low-order public key)');
    const okm = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, recipientPublic]), DOMAIN, 44));
    return { key: okm.subarray(0, 32), nonce: okm.subarray(32) };
  } finally {
    shared.fill(0);
  }
}

function associatedData(aad: Uint8Array): Buffer {
  if (!(aad instanceof Uint8Array)) throw new CiphertextError('sealed box: the AAD must be bytes (sealedBoxContext)');
  return Buffer.concat([Buffer.from(DOMAIN, 'utf8'), Buffer.from([0]), aad]);
}

function importPublicKey(raw: Uint8Array): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== SEALING_PUBLIC_KEY_BYTES) throw new KeyCustodyError(`an X25519 public key has ${SEALING_PUBLIC_KEY_BYTES} bytes, got ${raw?.length}`);
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
  } catch (error) {
    throw new KeyCustodyError('not an X25519 public key', { cause: error });
  }
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new KeyCustodyError('X25519 key export failed');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}
