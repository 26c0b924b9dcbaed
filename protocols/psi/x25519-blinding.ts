/**
 * Blinding with node:crypto X25519: element ↦ X25519(a, element), the u-coordinate of [clamp(a)]·P.
 * Clamping makes every scalar a multiple of 8, so small-order components vanish and
 * X25519(a, X25519(b, u)) = X25519(b, X25519(a, u)) for points of the curve (x25519.test.ts).
 * Curve25519 is twist-secure, so even a twist point from a malicious peer reveals nothing useful
 * about `a`; low-order inputs give all-zero outputs, which OpenSSL refuses (and validation rejects first).
 */
import crypto from 'node:crypto';
import { PsiError } from './psi-error.js';

const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
export const ELEMENT_BYTES = 32;
/** The X25519 base point u = 9 (little-endian). */
const BASE_POINT = Uint8Array.from({ length: 32 }, (_, index) => (index === 0 ? 9 : 0));

/** A fresh secret scalar: 32 CSPRNG bytes (X25519 clamps them). */
export function freshScalar(): Uint8Array {
  return new Uint8Array(crypto.randomBytes(32));
}

/** A private key object for `scalar`; the DER copy is wiped (the KeyObject keeps its own). */
export function scalarKey(scalar: Uint8Array): crypto.KeyObject {
  if (scalar.length !== 32) throw new PsiError(`a blinding scalar is 32 bytes, got ${scalar.length}`);
  const der = Buffer.concat([PKCS8_PREFIX, scalar]);
  try {
    return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** A public key object for the 32-byte u-coordinate; `der` is scratch space (OpenSSL copies it). */
function publicKey(u: Uint8Array, der: Buffer = Buffer.alloc(SPKI_PREFIX.length + ELEMENT_BYTES)): crypto.KeyObject {
  SPKI_PREFIX.copy(der, 0);
  der.set(u, SPKI_PREFIX.length);
  return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** X25519(scalar, u) for every 32-byte element of `elements`, position preserving; errors count from firstIndex. */
export function blindElements(privateKey: crypto.KeyObject, elements: Uint8Array, firstIndex = 0): Uint8Array {
  if (elements.length % ELEMENT_BYTES !== 0) throw new PsiError(`a blinded list is a multiple of 32 bytes, got ${elements.length}`);
  const out = new Uint8Array(elements.length);
  const der = Buffer.alloc(SPKI_PREFIX.length + ELEMENT_BYTES);
  for (let offset = 0; offset < elements.length; offset += ELEMENT_BYTES) {
    try {
      out.set(crypto.diffieHellman({ privateKey, publicKey: publicKey(elements.subarray(offset, offset + ELEMENT_BYTES), der) }), offset);
    } catch (error) {
      throw new PsiError(`element ${firstIndex + offset / ELEMENT_BYTES} cannot be blinded (low-order point?)`, { cause: error });
    }
  }
  return out;
}

/**
 * `count` uniformly random elements of the prime-order subgroup: X25519(r, 9) for fresh r each.
 * Blinded ids are uniform there too (DDH), so padding cannot be told apart from real entries.
 */
export function randomElements(count: number): Uint8Array {
  const out = new Uint8Array(count * ELEMENT_BYTES);
  const base = publicKey(BASE_POINT);
  for (let index = 0; index < count; index += 1) {
    const scalar = freshScalar();
    const key = scalarKey(scalar);
    scalar.fill(0);
    out.set(crypto.diffieHellman({ privateKey: key, publicKey: base }), index * ELEMENT_BYTES);
  }
  return out;
}
