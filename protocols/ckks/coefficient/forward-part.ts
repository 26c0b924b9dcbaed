/**
 * Step 1–2 of a batch: each party encrypts its forward part under the collective key, coefficient-
 * encoded (row r -> coefficient r, scaled by 2^scaleBits), so one ciphertext carries N = 8,192 rows
 * like the slot path's two-values-per-slot packing; the coordinator adds the parts into Enc(d).
 * The encoding is integer residue writing; SEAL does the NTT and the encryption.
 */
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { polyWordCount } from '../threshold/rns-words.js';
import { writeSealPlaintext } from '../threshold/seal-layout.js';
import { ThresholdCkksContext, withThresholdContext } from '../threshold/threshold-context.js';
import { loadForwardCiphertext, withPublicKeyEncryptor } from './forward-ciphertext.js';
import { writeIntegerResidues } from './rns-integers.js';
import { toNttForm } from './seal-transforms.js';

/** Refuses forward parts this large: garbage, and it would eat the headroom of coefficient 0. */
export const FORWARD_PART_LIMIT = 2 ** 10;

/** Enc(values) under the collective public key (SEAL zstd bytes); values.length <= N, |value| <= 2^10. */
export async function encryptForwardPart(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  publicKey: Uint8Array,
  values: Float64Array,
): Promise<Uint8Array> {
  return withThresholdContext(parametersOrContext, (context) => {
    const degree = context.polyModulusDegree;
    if (values.length < 1 || values.length > degree) throw new CiphertextError(`a forward part holds 1..${degree} rows, got ${values.length}`);
    const level = context.dataLevels[0];
    if (!level) throw new CiphertextError('the parameters have no data level');
    const coefficients = new Uint32Array(polyWordCount(degree, level.primeCount));
    let ntt: Uint32Array[] = [];
    let plainBytes: Uint8Array | undefined;
    const plaintext = context.own(new context.seal.Plaintext());
    const ciphertext = context.own(new context.seal.Ciphertext());
    try {
      values.forEach((value, row) => {
        if (!Number.isFinite(value) || Math.abs(value) > FORWARD_PART_LIMIT) throw new CiphertextError(`forward part row ${row} is ${value}; expected a finite value within ±${FORWARD_PART_LIMIT}`);
        writeIntegerResidues(BigInt(Math.round(value * context.scale)), level.primes, coefficients, (prime) => 2 * (prime * degree + row));
      });
      ntt = toNttForm(context, level, [coefficients]);
      plainBytes = writeSealPlaintext({ parmsId: level.parmsId, scale: context.scale, words: ntt[0] as Uint32Array });
      context.loadInto(plaintext, plainBytes, 'encoded forward part');
      return withPublicKeyEncryptor(context, publicKey, (encryptor) => {
        encryptor.encrypt(plaintext, ciphertext);
        return Uint8Array.from(ciphertext.saveToArray(context.seal.ComprModeType.zstd) as Uint8Array);
      });
    } finally {
      // The forward part is private to the party: wipe every JS copy and SEAL's plaintext.
      coefficients.fill(0);
      for (const poly of ntt) poly.fill(0);
      plainBytes?.fill(0);
      plaintext.setZero();
      context.release(ciphertext);
      context.release(plaintext);
    }
  });
}

/** The coordinator's Enc(d): the homomorphic sum of every party's forward part (SEAL zstd bytes). */
export async function sumForwardParts(parametersOrContext: CkksParameters | ThresholdCkksContext, parts: readonly Uint8Array[]): Promise<Uint8Array> {
  if (parts.length < 1) throw new CiphertextError('no forward parts to add');
  return withThresholdContext(parametersOrContext, (context) => {
    const sum = loadForwardCiphertext(context, parts[0] as Uint8Array, 'forward part 0');
    try {
      parts.slice(1).forEach((bytes, index) => {
        const addend = loadForwardCiphertext(context, bytes, `forward part ${index + 1}`);
        try {
          context.evaluator.addInplace(sum, addend);
        } finally {
          context.release(addend);
        }
      });
      return Uint8Array.from(sum.saveToArray(context.seal.ComprModeType.zstd) as Uint8Array);
    } finally {
      context.release(sum);
    }
  });
}
