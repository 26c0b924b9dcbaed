/**
 * Joint decryption of the aggregate: per chunk m = c0 + sum_i d_i = c0 + c1*s + sum_i E_i, decoded by
 * SEAL's CKKSEncoder at the chunk's scale. All N shares are needed (N-of-N); with one missing the result
 * is uniformly random garbage. JS only adds residues; SEAL does the inverse NTT and decoding.
 */
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { ciphertextsFor } from '../values-per-ciphertext.js';
import { addRnsInPlace } from './rns-words.js';
import { writeSealPlaintext } from './seal-layout.js';
import { decodeShare } from './share-format.js';
import { withThresholdContext, type ThresholdCkksContext } from './threshold-context.js';

export interface CombineOptions {
  /** When given, exactly this many parties' shares are required (the federation size). */
  readonly expectedParties?: number;
}

/**
 * `shares[p][c]` is party p's share of chunk c. Returns the first `length` decoded values. Throws
 * CiphertextError for a wrong chunk or party count and for any malformed or misdirected share.
 */
export async function combineDecryptionShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  ciphertexts: readonly Uint8Array[],
  shares: readonly (readonly Uint8Array[])[],
  length: number,
  options: CombineOptions = {},
): Promise<Float64Array> {
  if (!Number.isInteger(length) || length < 0) throw new CiphertextError(`cannot decode ${length} values`);
  if (shares.length < 2) throw new CiphertextError(`threshold decryption needs the shares of every party (at least 2), got ${shares.length}`);
  if (options.expectedParties !== undefined && shares.length !== options.expectedParties) {
    throw new CiphertextError(`expected decryption shares from ${options.expectedParties} parties, got ${shares.length}`);
  }
  return withThresholdContext(parametersOrContext, (context) => {
    const { polyModulusDegree, slotCount, valuesPerCiphertext } = context;
    const chunkCount = ciphertextsFor(context.parameters, length);
    if (ciphertexts.length !== chunkCount) throw new CiphertextError(`expected ${chunkCount} ciphertext chunks for ${length} values, got ${ciphertexts.length}`);
    shares.forEach((partyShares, party) => {
      if (partyShares.length !== chunkCount) throw new CiphertextError(`party ${party} sent ${partyShares.length} decryption share chunks, expected ${chunkCount}`);
    });

    const output = new Float64Array(length);
    const plaintext = context.own(new context.seal.Plaintext());
    try {
      ciphertexts.forEach((bytes, chunk) => {
        const { raw, level, digest } = context.loadChunk(bytes, `aggregate chunk ${chunk}`);
        const sum = raw.polys[0] as Uint32Array;
        const fingerprints = new Set<string>();
        shares.forEach((partyShares, party) => {
          const where = `decryption share of party ${party}, chunk ${chunk}`;
          const words = decodeShare(
            partyShares[chunk] as Uint8Array,
            { kind: 'decryption-share', polyModulusDegree, level, chunkIndex: chunk, chunkCount, binding: digest },
            where,
          );
          // Smudged shares never agree on their leading coefficients; equal ones mean a replayed share.
          const fingerprint = Buffer.from(words.buffer, 0, 64).toString('hex');
          if (fingerprints.has(fingerprint)) throw new CiphertextError(`${where} duplicates another party's share`);
          fingerprints.add(fingerprint);
          addRnsInPlace(sum, words, level.primes, polyModulusDegree);
        });
        context.loadInto(plaintext, writeSealPlaintext({ parmsId: level.parmsId, scale: raw.scale, words: sum }), `decrypted chunk ${chunk}`);
        const start = chunk * valuesPerCiphertext;
        const real = context.encoder.decodeFloat64(plaintext) as Float64Array;
        output.set(real.subarray(0, Math.min(slotCount, length - start)), start);
        const imaginaryStart = start + slotCount;
        if (imaginaryStart < length) {
          // Re((z + i*w) * i) = -w
          const rotated = context.multiplyByImaginaryUnit(sum, level, raw.scale);
          context.loadInto(plaintext, writeSealPlaintext({ parmsId: level.parmsId, scale: raw.scale, words: rotated }), `decrypted chunk ${chunk}`);
          const decoded = context.encoder.decodeFloat64(plaintext) as Float64Array;
          const count = Math.min(slotCount, length - imaginaryStart);
          for (let slot = 0; slot < count; slot += 1) output[imaginaryStart + slot] = -(decoded[slot] as number);
        }
      });
      return output;
    } finally {
      context.release(plaintext);
    }
  });
}
