/**
 * NTT and inverse NTT of RNS polynomials by SEAL: node-seal has no polynomial transform, so the
 * polynomials ride as the polynomials of one ciphertext (up to 15 plus a constant carrier polynomial,
 * which keeps the ciphertext from being "transparent", which SEAL refuses to transform) and
 * `cipherTransformTo/FromNttInplace` does the work. Every JS copy on the way is wiped: the callers
 * transform secret material (encoded d, c1*s_k).
 */
import type { Ciphertext } from 'node-seal';
import { CIPHERTEXT_MAX_POLYS, parseSealCiphertext, writeSealCiphertext } from '../threshold/seal-layout.js';
import { polyWordCount } from '../threshold/rns-words.js';
import type { RnsLevel, ThresholdCkksContext } from '../threshold/threshold-context.js';

const PER_CARRIER = CIPHERTEXT_MAX_POLYS - 1;

/** Coefficient form -> NTT form, one returned polynomial per input. */
export function toNttForm(context: ThresholdCkksContext, level: RnsLevel, polys: readonly Uint32Array[]): Uint32Array[] {
  return transform(context, level, polys, 'to-ntt');
}

/** NTT form -> coefficient form, one returned polynomial per input. */
export function fromNttForm(context: ThresholdCkksContext, level: RnsLevel, polys: readonly Uint32Array[]): Uint32Array[] {
  return transform(context, level, polys, 'from-ntt');
}

/** Coefficient 0 of each NTT-form polynomial, as k residues (2k words, prime-major). */
export function coefficientZero(context: ThresholdCkksContext, level: RnsLevel, polys: readonly Uint32Array[]): Uint32Array[] {
  const coefficients = fromNttForm(context, level, polys);
  try {
    return coefficients.map((poly) => {
      const zero = new Uint32Array(2 * level.primeCount);
      for (let prime = 0; prime < level.primeCount; prime += 1) {
        zero[2 * prime] = poly[2 * prime * context.polyModulusDegree] as number;
        zero[2 * prime + 1] = poly[2 * prime * context.polyModulusDegree + 1] as number;
      }
      return zero;
    });
  } finally {
    for (const poly of coefficients) poly.fill(0);
  }
}

function transform(context: ThresholdCkksContext, level: RnsLevel, polys: readonly Uint32Array[], direction: 'to-ntt' | 'from-ntt'): Uint32Array[] {
  const degree = context.polyModulusDegree;
  const filler = new Uint32Array(polyWordCount(degree, level.primeCount));
  for (let word = 0; word < filler.length; word += 2) filler[word] = 1;
  const carrier = context.own(new context.seal.Ciphertext());
  try {
    const output: Uint32Array[] = [];
    for (let start = 0; start < polys.length; start += PER_CARRIER) {
      output.push(...transformBatch(context, level, [...polys.slice(start, start + PER_CARRIER), filler], direction, carrier));
    }
    return output;
  } finally {
    context.release(carrier);
  }
}

function transformBatch(context: ThresholdCkksContext, level: RnsLevel, polys: Uint32Array[], direction: 'to-ntt' | 'from-ntt', carrier: Ciphertext): Uint32Array[] {
  const blob = writeSealCiphertext({
    parmsId: level.parmsId,
    isNttForm: direction === 'from-ntt',
    polyModulusDegree: context.polyModulusDegree,
    primeCount: level.primeCount,
    scale: 1,
    polys,
  });
  let saved: Uint8Array | undefined;
  try {
    context.loadInto(carrier, blob, 'polynomials to transform');
    if (direction === 'to-ntt') context.evaluator.cipherTransformToNttInplace(carrier);
    else context.evaluator.cipherTransformFromNttInplace(carrier);
    saved = context.saveUncompressed(carrier);
    const transformed = parseSealCiphertext(saved, 'transformed polynomials').polys;
    return transformed.slice(0, polys.length - 1);
  } finally {
    blob.fill(0);
    saved?.fill(0);
    carrier.release();
  }
}
