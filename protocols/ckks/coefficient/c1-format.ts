/**
 * The wire form of a product's c1: one NTT-form SEAL Plaintext at a data level, zstd-compressed (SEAL's
 * own format, so SEAL validates sizes, parms_id and that every coefficient is below its prime on load).
 * Its digest is the one c1Digests (../threshold/c1-digest.ts) gives a full ciphertext with the same c1,
 * so a key holder may keep a single ledger for both kinds of decryption.
 */
import { createHash } from 'node:crypto';
import { CiphertextError } from '../../errors.js';
import { parseSealPlaintext, writeSealPlaintext } from '../threshold/seal-layout.js';
import type { RnsLevel, ThresholdCkksContext } from '../threshold/threshold-context.js';

export interface LoadedC1 {
  readonly level: RnsLevel;
  readonly words: Uint32Array;
  /** SHA-256 hex, as c1Digests. */
  readonly digest: string;
}

export function encodeC1(context: ThresholdCkksContext, level: RnsLevel, words: Uint32Array, scale: number): Uint8Array {
  const plaintext = context.own(new context.seal.Plaintext());
  try {
    context.loadInto(plaintext, writeSealPlaintext({ parmsId: level.parmsId, scale, words }), 'product c1');
    return Uint8Array.from(plaintext.saveToArray(context.seal.ComprModeType.zstd) as Uint8Array);
  } finally {
    context.release(plaintext);
  }
}

/** Loads a peer's c1; CiphertextError for anything but one NTT-form polynomial at a data level. */
export function loadC1(context: ThresholdCkksContext, bytes: Uint8Array, where: string): LoadedC1 {
  if (!(bytes instanceof Uint8Array) || bytes.length < 16) throw new CiphertextError(`${where}: not a SEAL plaintext`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(8, true);
  if (declared !== BigInt(bytes.length)) throw new CiphertextError(`${where}: ${bytes.length} bytes, but its SEAL header declares ${declared}`);
  const plaintext = context.own(new context.seal.Plaintext());
  let saved: Uint8Array;
  try {
    context.loadInto(plaintext, bytes, where);
    if (!plaintext.isNttForm()) throw new CiphertextError(`${where}: c1 is not in NTT form`);
    saved = context.saveUncompressed(plaintext);
  } finally {
    context.release(plaintext);
  }
  const { parmsId, words } = parseSealPlaintext(saved, where);
  const level = context.dataLevel(parmsId);
  if (!level || words.length !== 2 * level.primeCount * context.polyModulusDegree) throw new CiphertextError(`${where}: c1 is not one polynomial at a data level of the federation's parameters`);
  if (words.every((word) => word === 0)) throw new CiphertextError(`${where}: c1 is zero: not a product ciphertext`);
  return { level, words, digest: c1Digest(parmsId, words) };
}

/** SHA-256 hex of parms_id and c1, exactly as c1Digests computes it for a full ciphertext. */
export function c1Digest(parmsId: Uint8Array, words: Uint32Array): string {
  return createHash('sha256').update('hefl-c1/1\0').update(parmsId).update(Buffer.from(words.buffer, words.byteOffset, words.byteLength)).digest('hex');
}
