import type { CkksParameters } from '../protocols/job/job-spec.js';

/**
 * Native (C++) Microsoft SEAL figures that HEFL's encryption is compared with, keyed by parameter set
 * and packing. They come from issue #19: Microsoft SEAL 4.1.2 built with -O3 -march=native, ONE core
 * of this 2-core machine class, 123 ciphertexts = 1,000,000 parameters at two values per CKKS slot
 * (8,192 values per ciphertext at N = 8192), public-key encryption, medians of 3, measured side by side
 * with HEFL in one quiet window. This bench does not build native SEAL and does not re-measure them.
 * A "vs native" ratio is only ever taken against the entry of the same parameters, the same packing
 * and the same stages (encode + encrypt + serialize with zstd).
 */
export interface NativeSealReference {
  readonly label: string;
  readonly parameters: CkksParameters;
  /** Values per CKKS slot: 2 = real and imaginary parts both carry a value (HEFL's packing). */
  readonly valuesPerSlot: 1 | 2;
  readonly parameterCount: number;
  readonly ciphertextCount: number;
  /** Encode + public-key encrypt, seconds for all the ciphertexts. */
  readonly encodeEncryptSeconds: number;
  /** Serialize with zstd, seconds for all the ciphertexts. */
  readonly serializeSeconds: number;
  /** All three stages (≈ encodeEncryptSeconds + serializeSeconds). */
  readonly totalSeconds: number;
  readonly paramsPerSecond: number;
  /** Serialized bytes of all the ciphertexts, where the source states them. */
  readonly serializedBytes: number | null;
  readonly source: string;
}

const SOURCE = 'issue #19: Microsoft SEAL 4.1.2, -O3 -march=native, one core of this machine class, 123 ciphertexts, public-key encryption, medians of 3 (not re-measured by the bench)';

/** totalSeconds as the issue states it: the median of the totals, not always the sum of the stages' medians. */
function reference(label: string, parameters: CkksParameters, encodeEncryptSeconds: number, serializeSeconds: number, totalSeconds: number, serializedBytes: number | null): NativeSealReference {
  const parameterCount = 1_000_000;
  return { label, parameters, valuesPerSlot: 2, parameterCount, ciphertextCount: 123, encodeEncryptSeconds, serializeSeconds, totalSeconds, paramsPerSecond: parameterCount / totalSeconds, serializedBytes, source: SOURCE };
}

export const NATIVE_SEAL_REFERENCES: readonly NativeSealReference[] = Object.freeze([
  reference('reference parameters', { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 40, 60], scaleBits: 40 }, 0.58, 0.34, 0.92, null),
  reference('threshold default (DEFAULT_THRESHOLD_CKKS)', { polyModulusDegree: 8192, coeffModulusBits: [55, 55, 60], scaleBits: 72 }, 0.53, 0.13, 0.65, 30_400_000),
]);

function sameParameters(left: CkksParameters, right: CkksParameters): boolean {
  return (
    left.polyModulusDegree === right.polyModulusDegree &&
    left.scaleBits === right.scaleBits &&
    left.coeffModulusBits.length === right.coeffModulusBits.length &&
    left.coeffModulusBits.every((bits, index) => bits === right.coeffModulusBits[index])
  );
}

/** The native reference of exactly these parameters and packing, or undefined: then no ratio is printed. */
export function nativeSealReferenceFor(parameters: CkksParameters, valuesPerSlot: 1 | 2): NativeSealReference | undefined {
  return NATIVE_SEAL_REFERENCES.find((entry) => entry.valuesPerSlot === valuesPerSlot && sameParameters(entry.parameters, parameters));
}
