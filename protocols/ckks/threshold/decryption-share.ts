/**
 * A party's partial decryption of the aggregate: per chunk d_i = c1*s_i + E_i, where E_i is fresh
 * discrete Gaussian smudging noise (discrete-gaussian.ts) that hides s_i from whoever combines the shares.
 *
 * SEAL does the arithmetic: the noise polynomials are written as residues into a non-NTT ciphertext and
 * SEAL transforms them to NTT form (up to 16 at a time); then the blob (E_i, c1) goes to
 * Decryptor(s_i).decrypt, which returns E_i + c1*s_i in NTT form at the chunk's level.
 */
import type { Ciphertext, Decryptor, Plaintext } from 'node-seal';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import type { DecryptionBudget } from './decryption-budget.js';
import { DiscreteGaussianSampler } from './discrete-gaussian.js';
import { polyWordCount, writeSignedResidues } from './rns-words.js';
import { CIPHERTEXT_MAX_POLYS, CIPHERTEXT_MIN_POLYS, parseSealCiphertext, parseSealPlaintext, writeSealCiphertext } from './seal-layout.js';
import { encodeShare } from './share-format.js';
import { ThresholdCkksContext, withThresholdContext, type RnsLevel } from './threshold-context.js';
import { assertSmudgingSigmaBits } from './threshold-parameters.js';

export interface DecryptionShareOptions {
  /** log2 of the smudging standard deviation; see smudgingBitsFor. Below the minimum is refused. */
  readonly smudgingSigmaBits: number;
  /** When given, the chunks are charged to it first; repeats and overflow are refused. */
  readonly budget?: DecryptionBudget;
}

interface ChunkToDecrypt {
  readonly c1: Uint32Array;
  readonly scale: number;
  readonly digest: Uint8Array;
}

/** Returns one share per ciphertext chunk, in the compact share format (share-format.ts). */
export async function createDecryptionShare(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  secretShare: Uint8Array,
  ciphertexts: readonly Uint8Array[],
  options: DecryptionShareOptions,
): Promise<Uint8Array[]> {
  const parameters = parametersOrContext instanceof ThresholdCkksContext ? parametersOrContext.parameters : parametersOrContext;
  assertSmudgingSigmaBits(parameters, options.smudgingSigmaBits);
  if (ciphertexts.length === 0) throw new CiphertextError('no ciphertext chunks to decrypt');
  return withThresholdContext(parametersOrContext, (context) => {
    const chunks: ChunkToDecrypt[] = [];
    let level: RnsLevel | undefined;
    ciphertexts.forEach((bytes, index) => {
      const loaded = context.loadChunk(bytes, `aggregate chunk ${index}`);
      if (level && loaded.level !== level) throw new CiphertextError(`aggregate chunk ${index} is at another level than chunk 0`);
      level = loaded.level;
      chunks.push({ c1: loaded.raw.polys[1] as Uint32Array, scale: loaded.raw.scale, digest: loaded.digest });
    });
    options.budget?.spend(chunks.map((chunk) => Buffer.from(chunk.digest).toString('hex')));

    const secretKey = context.own(new context.seal.SecretKey());
    try {
      context.loadInto(secretKey, secretShare, 'secret share');
    } catch (error) {
      context.release(secretKey);
      throw new KeyCustodyError(`the secret share does not load as a SEAL secret key for these parameters`, { cause: error });
    }
    const decryptor = context.own(new context.seal.Decryptor(context.context, secretKey));
    const noiseCiphertext = context.own(new context.seal.Ciphertext());
    const ciphertext = context.own(new context.seal.Ciphertext());
    const plaintext = context.own(new context.seal.Plaintext());
    const sampler = new DiscreteGaussianSampler(options.smudgingSigmaBits);
    const chunkLevel = level as RnsLevel;
    try {
      const shares: Uint8Array[] = [];
      for (let start = 0; start < chunks.length; start += CIPHERTEXT_MAX_POLYS) {
        const batch = chunks.slice(start, start + CIPHERTEXT_MAX_POLYS);
        const noise = smudgingNoiseInNttForm(context, chunkLevel, sampler, batch.length, noiseCiphertext);
        try {
          batch.forEach((chunk, offset) => {
            shares.push(partialDecryption(context, chunkLevel, chunk, noise[offset] as Uint32Array, start + offset, chunks.length, { decryptor, ciphertext, plaintext }));
          });
        } finally {
          for (const poly of noise) poly.fill(0);
        }
      }
      return shares;
    } finally {
      sampler.wipe();
      for (const handle of [plaintext, ciphertext, noiseCiphertext, decryptor, secretKey]) context.release(handle);
    }
  });
}

/** `count` fresh noise polynomials (integer Gaussian, residues per prime), transformed to NTT by SEAL. */
function smudgingNoiseInNttForm(
  context: ThresholdCkksContext,
  level: RnsLevel,
  sampler: DiscreteGaussianSampler,
  count: number,
  holder: Ciphertext,
): Uint32Array[] {
  const degree = context.polyModulusDegree;
  const polyWords = polyWordCount(degree, level.primeCount);
  // SEAL loads ciphertexts of 2..16 polynomials and refuses to transform one whose polynomials after
  // the first are all zero ("transparent"): a lone chunk gets a second, discarded noise polynomial.
  const polyCount = Math.max(CIPHERTEXT_MIN_POLYS, count);
  const words = new Uint32Array(polyCount * polyWords);
  const integers = new Float64Array(degree);
  let blob: Uint8Array | undefined;
  let saved: Uint8Array | undefined;
  try {
    for (let poly = 0; poly < polyCount; poly += 1) {
      sampler.fill(integers);
      writeSignedResidues(integers, level.primes, words, poly * level.primeCount * degree);
    }
    const polys = Array.from({ length: polyCount }, (_, poly) => words.subarray(poly * polyWords, (poly + 1) * polyWords));
    blob = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: false, polyModulusDegree: degree, primeCount: level.primeCount, scale: context.scale, polys });
    context.loadInto(holder, blob, 'smudging noise');
    context.evaluator.cipherTransformToNttInplace(holder);
    saved = context.saveUncompressed(holder);
    const transformed = parseSealCiphertext(saved, 'smudging noise').polys;
    for (const extra of transformed.slice(count)) extra.fill(0);
    return transformed.slice(0, count);
  } finally {
    // The noise hides s_i: if it leaked, d_i - E_i = c1*s_i would reveal the secret share.
    integers.fill(0);
    words.fill(0);
    blob?.fill(0);
    saved?.fill(0);
    holder.release();
  }
}

function partialDecryption(
  context: ThresholdCkksContext,
  level: RnsLevel,
  chunk: ChunkToDecrypt,
  noise: Uint32Array,
  chunkIndex: number,
  chunkCount: number,
  handles: { readonly decryptor: Decryptor; readonly ciphertext: Ciphertext; readonly plaintext: Plaintext },
): Uint8Array {
  const degree = context.polyModulusDegree;
  const blob = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: true, polyModulusDegree: degree, primeCount: level.primeCount, scale: chunk.scale, polys: [noise, chunk.c1] });
  let saved: Uint8Array | undefined;
  try {
    context.loadInto(handles.ciphertext, blob, `aggregate chunk ${chunkIndex}`);
    handles.decryptor.decrypt(handles.ciphertext, handles.plaintext);
    saved = context.saveUncompressed(handles.plaintext);
    const { words } = parseSealPlaintext(saved, 'decryption share');
    return encodeShare({ kind: 'decryption-share', polyModulusDegree: degree, level, chunkIndex, chunkCount, binding: chunk.digest, words });
  } finally {
    blob.fill(0); // holds E_i
    handles.ciphertext.release();
    handles.plaintext.release();
  }
}
