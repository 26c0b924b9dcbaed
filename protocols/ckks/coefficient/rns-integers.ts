/**
 * Single integers in RNS form: residues of a signed integer (the encoding of one row of d, or one
 * flooding sample), residue-wise addition of coefficient-0 shares, and CRT back to a centred BigInt.
 * These are scalar conversions; every polynomial product and NTT stays in SEAL.
 */
import { CiphertextError } from '../../errors.js';
import type { RnsPrimes } from '../threshold/rns-words.js';

/** Writes value mod q_i for each prime, as (lo, hi) words at wordIndex(prime). */
export function writeIntegerResidues(value: bigint, primes: RnsPrimes, target: Uint32Array, wordIndex: (prime: number) => number): void {
  primes.values.forEach((prime, index) => {
    let residue = value % prime;
    if (residue < 0n) residue += prime;
    const at = wordIndex(index);
    target[at] = Number(residue & 0xffffffffn);
    target[at + 1] = Number(residue >> 32n);
  });
}

/** Reads the residue at word pair `at` as a BigInt. */
export function readResidue(words: Uint32Array, at: number): bigint {
  return (BigInt(words[at + 1] as number) << 32n) | BigInt(words[at] as number);
}

/** Precomputed CRT constants for one level. */
export interface CrtBasis {
  readonly primes: readonly bigint[];
  readonly modulus: bigint;
  /** (Q/q_i) * ((Q/q_i)^-1 mod q_i), per prime. */
  readonly weights: readonly bigint[];
}

export function crtBasis(primes: readonly bigint[]): CrtBasis {
  const modulus = primes.reduce((product, prime) => product * prime, 1n);
  const weights = primes.map((prime) => {
    const cofactor = modulus / prime;
    return cofactor * modularInverse(cofactor % prime, prime);
  });
  return { primes: [...primes], modulus, weights };
}

/** The integer in (-Q/2, Q/2] with the given residues (one per prime). */
export function centredFromResidues(residues: readonly bigint[], basis: CrtBasis): bigint {
  let sum = 0n;
  residues.forEach((residue, index) => (sum += residue * (basis.weights[index] as bigint)));
  const value = sum % basis.modulus;
  return value > basis.modulus / 2n ? value - basis.modulus : value;
}

/** Residues, one u64 little-endian per prime: the 8k-byte form of a coefficient-0 share. */
export function encodeResidues(residues: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(residues.length * 8);
  const view = new DataView(bytes.buffer);
  residues.forEach((residue, index) => view.setBigUint64(index * 8, residue, true));
  return bytes;
}

/** Parses and validates an 8k-byte share: exact length, every residue below its prime. */
export function decodeResidues(bytes: Uint8Array, primes: readonly bigint[], where: string): bigint[] {
  if (!(bytes instanceof Uint8Array) || bytes.length !== primes.length * 8) {
    throw new CiphertextError(`${where}: ${bytes instanceof Uint8Array ? bytes.length : typeof bytes} bytes, expected ${primes.length * 8} (one u64 per data prime)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return primes.map((prime, index) => {
    const residue = view.getBigUint64(index * 8, true);
    if (residue >= prime) throw new CiphertextError(`${where}: residue ${index} is not below its prime`);
    return residue;
  });
}

function modularInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('CRT primes are not coprime');
  return ((oldS % modulus) + modulus) % modulus;
}
