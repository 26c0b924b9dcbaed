/**
 * Byte layouts of uncompressed SEAL 4.1 objects, verified by round trip against node-seal 7
 * (see protocols/ckks/threshold/README.md). node-seal exposes no raw coefficient access, so the
 * threshold code moves coefficients by saving SEAL objects uncompressed, editing these bytes and loading
 * them back; SEAL re-validates everything it loads.
 *
 * - Header (16 bytes): u16 magic 0xA15E, u8 header size 16, u8 major 4, u8 minor 1, u8 compression, u16 0,
 *   u64 total size.
 * - Ciphertext (= PublicKey): header; parms_id (32); u8 is_ntt; u64 size; u64 N; u64 k; f64 scale;
 *   u64 correction factor; nested header; u64 word count; data from byte 113.
 * - Seeded ciphertext: the nested array holds only polynomial 0 (k*N words), followed by a 16-byte header,
 *   u8 PRNG type and a 64-byte seed from which SEAL expands polynomial 1 (uniform, NTT form).
 * - Plaintext (= SecretKey): header; parms_id; u64 coefficient count; f64 scale; nested header;
 *   u64 word count; data from byte 88. A non-zero parms_id marks NTT form.
 */
import { CiphertextError } from '../../errors.js';
import { copyWords, polyWordCount, wordBytes } from './rns-words.js';

const MAGIC = 0xa15e;
const HEADER_BYTES = 16;
const VERSION_MAJOR = 4;
const VERSION_MINOR = 1;
const COMPRESSION_NONE = 0;
export const PARMS_ID_BYTES = 32;
export const CIPHERTEXT_DATA_OFFSET = 113;
export const PLAINTEXT_DATA_OFFSET = 88;
/** SEAL_CIPHERTEXT_SIZE_MIN / MAX: a ciphertext holds 2 to 16 polynomials. */
export const CIPHERTEXT_MIN_POLYS = 2;
export const CIPHERTEXT_MAX_POLYS = 16;
/** Blake2xb, SEAL's default PRNG; SEAL records which one expands a seeded ciphertext. */
const PRNG_BLAKE2XB = 1;
export const SEAL_SEED_BYTES = 64;

export interface SealCiphertextFields {
  readonly parmsId: Uint8Array;
  readonly isNttForm: boolean;
  readonly polyModulusDegree: number;
  readonly primeCount: number;
  readonly scale: number;
  /** One Uint32Array of k*N coefficients (2k*N words) per polynomial. */
  readonly polys: readonly Uint32Array[];
}

export interface ParsedSealCiphertext extends SealCiphertextFields {
  readonly correctionFactor: bigint;
}

export interface SealPlaintextFields {
  readonly parmsId: Uint8Array;
  readonly scale: number;
  /** k*N coefficients as 2k*N words. */
  readonly words: Uint32Array;
}

/** Parses an uncompressed SEAL Ciphertext or PublicKey (not seeded) into aligned word copies. */
export function parseSealCiphertext(bytes: Uint8Array, where: string): ParsedSealCiphertext {
  const view = dataView(bytes);
  readHeader(view, bytes.length, where);
  if (bytes.length < CIPHERTEXT_DATA_OFFSET) throw new CiphertextError(`${where}: ${bytes.length} bytes is too short for a SEAL ciphertext`);
  const parmsId = bytes.slice(HEADER_BYTES, HEADER_BYTES + PARMS_ID_BYTES);
  const isNttByte = view.getUint8(48);
  const polyCount = safeU64(view, 49, where);
  const polyModulusDegree = safeU64(view, 57, where);
  const primeCount = safeU64(view, 65, where);
  const scale = view.getFloat64(73, true);
  const correctionFactor = view.getBigUint64(81, true);
  if (isNttByte > 1) throw new CiphertextError(`${where}: NTT flag ${isNttByte} is not a boolean`);
  const wordCount = polyCount * polyModulusDegree * primeCount;
  readNestedArrayHeader(view, 89, wordCount, where);
  if (bytes.length !== CIPHERTEXT_DATA_OFFSET + wordCount * 8) {
    throw new CiphertextError(`${where}: ${bytes.length} bytes, expected ${CIPHERTEXT_DATA_OFFSET + wordCount * 8} for an unseeded ciphertext`);
  }
  const polyWords = polyWordCount(polyModulusDegree, primeCount);
  const polys: Uint32Array[] = [];
  for (let poly = 0; poly < polyCount; poly += 1) {
    polys.push(copyWords(bytes, CIPHERTEXT_DATA_OFFSET + poly * polyWords * 4, polyWords));
  }
  return { parmsId, isNttForm: isNttByte === 1, polyModulusDegree, primeCount, scale, correctionFactor, polys };
}

/** Writes an uncompressed SEAL Ciphertext; SEAL validates sizes and coefficient ranges when loading it. */
export function writeSealCiphertext(fields: SealCiphertextFields): Uint8Array {
  const polyWords = polyWordCount(fields.polyModulusDegree, fields.primeCount);
  fields.polys.forEach((poly) => {
    if (poly.length !== polyWords) throw new RangeError(`polynomial has ${poly.length} words, expected ${polyWords}`);
  });
  const wordCount = fields.polys.length * fields.polyModulusDegree * fields.primeCount;
  const bytes = new Uint8Array(CIPHERTEXT_DATA_OFFSET + wordCount * 8);
  const view = dataView(bytes);
  writeCiphertextMetadata(bytes, view, fields, fields.polys.length, wordCount);
  fields.polys.forEach((poly, index) => bytes.set(wordBytes(poly), CIPHERTEXT_DATA_OFFSET + index * polyWords * 4));
  return bytes;
}

/**
 * Writes a seeded two-polynomial SEAL ciphertext (c0 = `firstPoly`, c1 = expanded from `seed` by SEAL).
 * Loaded as a PublicKey at the key level, this is the collective key (sum b_i, a); with c0 = a_i it lets
 * SEAL compute a_i*s and a*s in one product.
 */
export function writeSeededSealCiphertext(fields: Omit<SealCiphertextFields, 'polys' | 'isNttForm'> & { readonly firstPoly: Uint32Array; readonly seed: Uint8Array }): Uint8Array {
  if (fields.seed.length !== SEAL_SEED_BYTES) throw new RangeError(`a SEAL seed has ${SEAL_SEED_BYTES} bytes, got ${fields.seed.length}`);
  const polyWords = polyWordCount(fields.polyModulusDegree, fields.primeCount);
  if (fields.firstPoly.length !== polyWords) throw new RangeError(`polynomial has ${fields.firstPoly.length} words, expected ${polyWords}`);
  const wordCount = fields.polyModulusDegree * fields.primeCount;
  const seedOffset = CIPHERTEXT_DATA_OFFSET + wordCount * 8;
  const bytes = new Uint8Array(seedOffset + HEADER_BYTES + 1 + SEAL_SEED_BYTES);
  const view = dataView(bytes);
  writeCiphertextMetadata(bytes, view, { ...fields, isNttForm: true }, 2, wordCount);
  bytes.set(wordBytes(fields.firstPoly), CIPHERTEXT_DATA_OFFSET);
  writeHeader(view, seedOffset, HEADER_BYTES + 1 + SEAL_SEED_BYTES);
  view.setUint8(seedOffset + HEADER_BYTES, PRNG_BLAKE2XB);
  bytes.set(fields.seed, seedOffset + HEADER_BYTES + 1);
  return bytes;
}

/** Parses an uncompressed SEAL Plaintext or SecretKey. */
export function parseSealPlaintext(bytes: Uint8Array, where: string): SealPlaintextFields {
  const view = dataView(bytes);
  readHeader(view, bytes.length, where);
  if (bytes.length < PLAINTEXT_DATA_OFFSET) throw new CiphertextError(`${where}: ${bytes.length} bytes is too short for a SEAL plaintext`);
  const parmsId = bytes.slice(HEADER_BYTES, HEADER_BYTES + PARMS_ID_BYTES);
  const coefficientCount = safeU64(view, 48, where);
  const scale = view.getFloat64(56, true);
  readNestedArrayHeader(view, 64, coefficientCount, where);
  if (bytes.length !== PLAINTEXT_DATA_OFFSET + coefficientCount * 8) {
    throw new CiphertextError(`${where}: ${bytes.length} bytes, expected ${PLAINTEXT_DATA_OFFSET + coefficientCount * 8}`);
  }
  return { parmsId, scale, words: copyWords(bytes, PLAINTEXT_DATA_OFFSET, coefficientCount * 2) };
}

/** Writes an uncompressed SEAL Plaintext; with a non-zero parms_id SEAL treats it as NTT form. */
export function writeSealPlaintext(fields: SealPlaintextFields): Uint8Array {
  const coefficientCount = fields.words.length / 2;
  const bytes = new Uint8Array(PLAINTEXT_DATA_OFFSET + coefficientCount * 8);
  const view = dataView(bytes);
  writeHeader(view, 0, bytes.length);
  setParmsId(bytes, fields.parmsId);
  view.setBigUint64(48, BigInt(coefficientCount), true);
  view.setFloat64(56, fields.scale, true);
  writeHeader(view, 64, HEADER_BYTES + 8 + coefficientCount * 8);
  view.setBigUint64(80, BigInt(coefficientCount), true);
  bytes.set(wordBytes(fields.words), PLAINTEXT_DATA_OFFSET);
  return bytes;
}

function writeCiphertextMetadata(
  bytes: Uint8Array,
  view: DataView,
  fields: Omit<SealCiphertextFields, 'polys'>,
  polyCount: number,
  storedWordCount: number,
): void {
  writeHeader(view, 0, bytes.length);
  setParmsId(bytes, fields.parmsId);
  view.setUint8(48, fields.isNttForm ? 1 : 0);
  view.setBigUint64(49, BigInt(polyCount), true);
  view.setBigUint64(57, BigInt(fields.polyModulusDegree), true);
  view.setBigUint64(65, BigInt(fields.primeCount), true);
  view.setFloat64(73, fields.scale, true);
  view.setBigUint64(81, 1n, true);
  writeHeader(view, 89, HEADER_BYTES + 8 + storedWordCount * 8);
  view.setBigUint64(105, BigInt(storedWordCount), true);
}

function setParmsId(bytes: Uint8Array, parmsId: Uint8Array): void {
  if (parmsId.length !== PARMS_ID_BYTES) throw new RangeError(`parms_id has ${PARMS_ID_BYTES} bytes, got ${parmsId.length}`);
  bytes.set(parmsId, HEADER_BYTES);
}

function writeHeader(view: DataView, offset: number, totalBytes: number): void {
  view.setUint16(offset, MAGIC, true);
  view.setUint8(offset + 2, HEADER_BYTES);
  view.setUint8(offset + 3, VERSION_MAJOR);
  view.setUint8(offset + 4, VERSION_MINOR);
  view.setUint8(offset + 5, COMPRESSION_NONE);
  view.setUint16(offset + 6, 0, true);
  view.setBigUint64(offset + 8, BigInt(totalBytes), true);
}

function readHeader(view: DataView, length: number, where: string): void {
  if (length < HEADER_BYTES) throw new CiphertextError(`${where}: ${length} bytes cannot hold a SEAL header`);
  if (view.getUint16(0, true) !== MAGIC || view.getUint8(2) !== HEADER_BYTES) throw new CiphertextError(`${where}: not a SEAL object`);
  if (view.getUint8(3) !== VERSION_MAJOR) throw new CiphertextError(`${where}: SEAL version ${view.getUint8(3)}.x, expected 4.x`);
  if (view.getUint8(5) !== COMPRESSION_NONE) throw new CiphertextError(`${where}: expected an uncompressed SEAL object`);
  if (view.getBigUint64(8, true) !== BigInt(length)) throw new CiphertextError(`${where}: SEAL header size does not match ${length} bytes`);
}

function readNestedArrayHeader(view: DataView, offset: number, wordCount: number, where: string): void {
  if (view.getUint16(offset, true) !== MAGIC || view.getUint8(offset + 2) !== HEADER_BYTES) throw new CiphertextError(`${where}: missing nested SEAL header`);
  if (view.getBigUint64(offset + 8, true) !== BigInt(HEADER_BYTES + 8 + wordCount * 8)) throw new CiphertextError(`${where}: nested SEAL header size is inconsistent`);
  if (view.getBigUint64(offset + 16, true) !== BigInt(wordCount)) throw new CiphertextError(`${where}: word count is inconsistent`);
}

function safeU64(view: DataView, offset: number, where: string): number {
  const value = view.getBigUint64(offset, true);
  // No legitimate SEAL field here exceeds 2^20 (N <= 32768, k <= 64, size <= 16).
  if (value > 1n << 20n) throw new CiphertextError(`${where}: field at byte ${offset} is implausibly large (${value})`);
  return Number(value);
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
