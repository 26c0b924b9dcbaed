/**
 * The compact wire format of one RNS polynomial from a peer (a public-key share b_i or one chunk of a
 * decryption share d_i). Little-endian, 88-byte header so the data is 8-aligned:
 *
 *   0  'HTCK' magic            4  u8 version (1)     5  u8 kind (1 public-key share, 2 decryption share,
 *                                                    3 Shamir share of a key share, t-of-N custody)
 *   6  u16 reserved (0)        8  u32 N              12 u32 prime count k
 *   16 parms_id (32 bytes)     48 u32 chunk index    52 u32 chunk count
 *   56 binding (32 bytes): SHA-256 naming what the share is for (the common seed / the ciphertext)
 *   88 k*N u64 coefficients, prime-major, each below its prime
 *
 * Decoding checks every field and every coefficient, so a malformed or misdirected share is refused with
 * a CiphertextError before it can touch an aggregate.
 */
import { CiphertextError } from '../../errors.js';
import { copyWords, findUnreducedCoefficient, polyWordCount, wordBytes } from './rns-words.js';
import type { RnsLevel } from './threshold-context.js';

export const SHARE_HEADER_BYTES = 88;
/** 'HTCK' */
export const SHARE_MAGIC: readonly number[] = [0x48, 0x54, 0x43, 0x4b];
const MAGIC = SHARE_MAGIC;
const VERSION = 1;
export const BINDING_BYTES = 32;
/** Byte offsets of the header fields (the table above); every reader and writer of a share uses these. */
export const SHARE_KIND_OFFSET = 5;
export const SHARE_DEGREE_OFFSET = 8;
export const SHARE_PRIME_COUNT_OFFSET = 12;
export const SHARE_CHUNK_INDEX_OFFSET = 48;
export const SHARE_CHUNK_COUNT_OFFSET = 52;

export type ShareKind = 'public-key-share' | 'decryption-share' | 'shamir-share';
const KIND_CODES: Record<ShareKind, number> = { 'public-key-share': 1, 'decryption-share': 2, 'shamir-share': 3 };
const BINDING_MISMATCH: Record<ShareKind, string> = {
  'public-key-share': 'made for another common seed',
  'decryption-share': 'made for another ciphertext',
  'shamir-share': 'made for another job, key epoch, collective key, sender or receiver',
};

/** The header fields a share claims, read without any expectation; undefined when it has no share header. */
export interface ShareHeader {
  readonly kind: ShareKind | undefined;
  readonly polyModulusDegree: number;
  readonly primeCount: number;
  readonly chunkIndex: number;
  readonly chunkCount: number;
}

export function readShareHeader(bytes: Uint8Array): ShareHeader | undefined {
  if (bytes.length < SHARE_HEADER_BYTES || MAGIC.some((byte, index) => bytes[index] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = view.getUint8(SHARE_KIND_OFFSET);
  return {
    kind: (Object.keys(KIND_CODES) as ShareKind[]).find((kind) => KIND_CODES[kind] === code),
    polyModulusDegree: view.getUint32(SHARE_DEGREE_OFFSET, true),
    primeCount: view.getUint32(SHARE_PRIME_COUNT_OFFSET, true),
    chunkIndex: view.getUint32(SHARE_CHUNK_INDEX_OFFSET, true),
    chunkCount: view.getUint32(SHARE_CHUNK_COUNT_OFFSET, true),
  };
}

/** Rewrites a share's chunk index and count in place (a share made for a batch, placed in the whole vector). */
export function writeShareChunkNumber(bytes: Uint8Array, chunkIndex: number, chunkCount: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(SHARE_CHUNK_INDEX_OFFSET, chunkIndex, true);
  view.setUint32(SHARE_CHUNK_COUNT_OFFSET, chunkCount, true);
}

export interface ShareFields {
  readonly kind: ShareKind;
  readonly polyModulusDegree: number;
  readonly level: RnsLevel;
  readonly chunkIndex: number;
  readonly chunkCount: number;
  readonly binding: Uint8Array;
  readonly words: Uint32Array;
}

export function encodeShare(fields: ShareFields): Uint8Array {
  const { level, polyModulusDegree, words, binding } = fields;
  if (words.length !== polyWordCount(polyModulusDegree, level.primeCount)) throw new RangeError('share polynomial has the wrong size');
  if (binding.length !== BINDING_BYTES) throw new RangeError('share binding must be 32 bytes');
  const bytes = new Uint8Array(SHARE_HEADER_BYTES + words.byteLength);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint8(4, VERSION);
  view.setUint8(SHARE_KIND_OFFSET, KIND_CODES[fields.kind]);
  view.setUint32(SHARE_DEGREE_OFFSET, polyModulusDegree, true);
  view.setUint32(SHARE_PRIME_COUNT_OFFSET, level.primeCount, true);
  bytes.set(level.parmsId, 16);
  writeShareChunkNumber(bytes, fields.chunkIndex, fields.chunkCount);
  bytes.set(binding, 56);
  bytes.set(wordBytes(words), SHARE_HEADER_BYTES);
  return bytes;
}

/** Decodes a share and checks it against everything the receiver expects; returns its coefficients. */
export function decodeShare(bytes: Uint8Array, expected: Omit<ShareFields, 'words'>, where: string): Uint32Array {
  if (!(bytes instanceof Uint8Array)) throw new CiphertextError(`${where}: not a byte array`);
  const { level, polyModulusDegree } = expected;
  const wordCount = polyWordCount(polyModulusDegree, level.primeCount);
  if (bytes.length !== SHARE_HEADER_BYTES + wordCount * 4) {
    throw new CiphertextError(`${where}: ${bytes.length} bytes, expected ${SHARE_HEADER_BYTES + wordCount * 4}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const problems: string[] = [];
  if (MAGIC.some((byte, index) => bytes[index] !== byte)) problems.push('bad magic');
  if (view.getUint8(4) !== VERSION) problems.push(`version ${view.getUint8(4)}`);
  if (view.getUint8(SHARE_KIND_OFFSET) !== KIND_CODES[expected.kind]) problems.push(`is not a ${expected.kind}`);
  if (view.getUint16(6, true) !== 0) problems.push('reserved bytes set');
  if (view.getUint32(SHARE_DEGREE_OFFSET, true) !== polyModulusDegree) problems.push(`ring degree ${view.getUint32(SHARE_DEGREE_OFFSET, true)}`);
  if (view.getUint32(SHARE_PRIME_COUNT_OFFSET, true) !== level.primeCount) problems.push(`${view.getUint32(SHARE_PRIME_COUNT_OFFSET, true)} primes, expected ${level.primeCount}`);
  if (!equalBytes(bytes.subarray(16, 48), level.parmsId)) problems.push('parms_id of another level or parameter set');
  if (view.getUint32(SHARE_CHUNK_INDEX_OFFSET, true) !== expected.chunkIndex) problems.push(`chunk index ${view.getUint32(SHARE_CHUNK_INDEX_OFFSET, true)}, expected ${expected.chunkIndex}`);
  if (view.getUint32(SHARE_CHUNK_COUNT_OFFSET, true) !== expected.chunkCount) problems.push(`chunk count ${view.getUint32(SHARE_CHUNK_COUNT_OFFSET, true)}, expected ${expected.chunkCount}`);
  if (!equalBytes(bytes.subarray(56, 88), expected.binding)) {
    problems.push(BINDING_MISMATCH[expected.kind]);
  }
  if (problems.length > 0) throw new CiphertextError(`${where}: ${problems.join('; ')}`);
  const words = copyWords(bytes, SHARE_HEADER_BYTES, wordCount);
  const unreduced = findUnreducedCoefficient(words, level.primes, polyModulusDegree);
  if (unreduced >= 0) {
    words.fill(0);
    throw new CiphertextError(`${where}: coefficient ${unreduced} is not below its prime`);
  }
  return words;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
