/**
 * Checks on blinded lists: every incoming list (validateBlindedList) and everything a party emits
 * (assertBlindedEgress, which additionally refuses an element equal to the unblinded hash of one of
 * the party's own ids: the symptom of a forgotten blinding step, which would expose H(id) and so the id).
 */
import { ELEMENT_BYTES } from './x25519-blinding.js';
import { PsiError } from './psi-error.js';

/**
 * The canonical u-coordinates of points of order 1, 2, 4 and 8 on Curve25519 and its twist: 0, 1,
 * p − 1 and the two order-8 u values (libsodium's blocklist, hex little-endian). X25519 of any of them
 * is 0, so they carry no blinding; the non-canonical aliases (≥ p) fail the canonical check first.
 */
const LOW_ORDER = new Set<string>([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
]);

/** A hashable key for the element at `index` (latin1: one char per byte, cheap to build). */
export function elementKey(list: Uint8Array, index: number): string {
  return Buffer.from(list.buffer, list.byteOffset + index * ELEMENT_BYTES, ELEMENT_BYTES).toString('latin1');
}

/** Keys of every element, e.g. a party's unblinded own hash points for assertBlindedEgress. */
export function elementKeys(list: Uint8Array): Set<string> {
  const keys = new Set<string>();
  for (let index = 0; index < list.length / ELEMENT_BYTES; index += 1) keys.add(elementKey(list, index));
  return keys;
}

/** u < p = 2^255 − 19 with the top bit clear, compared on the little-endian bytes. */
export function isCanonical(list: Uint8Array, offset: number): boolean {
  const top = list[offset + 31] as number;
  if (top < 0x7f) return true;
  if (top > 0x7f) return false;
  for (let index = 30; index >= 1; index -= 1) if (list[offset + index] !== 0xff) return true;
  return (list[offset] as number) < 0xed;
}

function isLowOrder(list: Uint8Array, offset: number): boolean {
  const first = list[offset] as number;
  // Cheap pre-filter: every blocklisted value starts with one of these bytes.
  if (first !== 0x00 && first !== 0x01 && first !== 0xec && first !== 0xe0 && first !== 0x5f) return false;
  return LOW_ORDER.has(Buffer.from(list.buffer, list.byteOffset + offset, ELEMENT_BYTES).toString('hex'));
}

function checkShape(list: Uint8Array, maxCount: number, what: string): number {
  if (!(list instanceof Uint8Array)) throw new PsiError(`${what}: not a byte array`);
  if (list.length % ELEMENT_BYTES !== 0) throw new PsiError(`${what}: ${list.length} bytes is not a whole number of 32-byte elements`);
  const count = list.length / ELEMENT_BYTES;
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  if (count > maxCount) throw new PsiError(`${what}: ${count} elements, more than the bound ${maxCount}`);
  return count;
}

function checkElement(list: Uint8Array, index: number, what: string): void {
  const offset = index * ELEMENT_BYTES;
  if (!isCanonical(list, offset)) throw new PsiError(`${what}: element ${index} is not canonical (u ≥ p or top bit set)`);
  if (isLowOrder(list, offset)) throw new PsiError(`${what}: element ${index} is a low-order point`);
}

/**
 * An incoming list (from a peer or the coordinator): whole 32-byte elements, at most maxCount, each
 * canonical, none of low order, no duplicates (distinct ids and random padding never collide).
 * Returns the element count.
 */
export function validateBlindedList(list: Uint8Array, maxCount: number, what = 'blinded list'): number {
  const count = checkShape(list, maxCount, what);
  const seen = new Set<string>();
  for (let index = 0; index < count; index += 1) {
    checkElement(list, index, what);
    const key = elementKey(list, index);
    if (seen.has(key)) throw new PsiError(`${what}: element ${index} repeats an earlier element`);
    seen.add(key);
  }
  return count;
}

export interface EgressBounds {
  /** elementKeys(H(id)) of every own id: none of them may leave. */
  readonly unblindedOwnPoints: ReadonlySet<string>;
  readonly maxCount: number;
  /** The list this one was blinded from: an element equal at its position was not blinded. */
  readonly blindedFrom?: Uint8Array;
}

/** The egress guard: run on every list a party sends. */
export function assertBlindedEgress(list: Uint8Array, bounds: EgressBounds): void {
  const what = 'outgoing list';
  const count = checkShape(list, bounds.maxCount, what);
  if (bounds.blindedFrom !== undefined && bounds.blindedFrom.length !== list.length) {
    throw new PsiError(`${what}: ${count} elements, but it was blinded from ${bounds.blindedFrom.length / ELEMENT_BYTES}`);
  }
  for (let index = 0; index < count; index += 1) {
    checkElement(list, index, what);
    const key = elementKey(list, index);
    if (bounds.unblindedOwnPoints.has(key)) throw new PsiError(`${what}: element ${index} is the unblinded hash of an own id`);
    if (bounds.blindedFrom !== undefined && elementKey(bounds.blindedFrom, index) === key) {
      throw new PsiError(`${what}: element ${index} is unchanged by blinding`);
    }
  }
}
