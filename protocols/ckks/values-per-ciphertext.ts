import type { CkksParameters } from './ckks-parameters.js';

/**
 * Values one HEFL ciphertext carries: N. SEAL's CKKSEncoder fills only the real parts of its N/2
 * complex slots; HEFL puts a second value in each slot's imaginary part (see imaginary-unit.ts), which
 * halves the ciphertexts, the bytes on the wire and the encryption work per parameter.
 */
export function valuesPerCiphertext(parameters: Pick<CkksParameters, 'polyModulusDegree'>): number {
  return parameters.polyModulusDegree;
}

/** Ciphertexts a vector of `length` values needs (at least one, so an empty vector still travels). */
export function ciphertextsFor(parameters: Pick<CkksParameters, 'polyModulusDegree'>, length: number): number {
  return Math.max(1, Math.ceil(length / valuesPerCiphertext(parameters)));
}
