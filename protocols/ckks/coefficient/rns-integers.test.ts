import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { rnsPrimes } from '../threshold/rns-words.js';
import { centredFromResidues, crtBasis, decodeResidues, encodeResidues, readResidue, writeIntegerResidues } from './rns-integers.js';

// Two coprime 55-bit moduli: CRT needs nothing more.
const primes = [36028797017456641n, 36028797014704129n];

describe('single integers in RNS form', () => {
  it('round-trips signed integers up to Q/2 through residues and CRT', () => {
    const level = rnsPrimes(primes);
    const basis = crtBasis(primes);
    for (const value of [0n, 1n, -1n, 2n ** 99n + 12345n, -(2n ** 100n) - 7n, basis.modulus / 2n, -(basis.modulus / 2n) + 1n]) {
      const words = new Uint32Array(4);
      writeIntegerResidues(value, level, words, (prime) => 2 * prime);
      expect(centredFromResidues([readResidue(words, 0), readResidue(words, 2)], basis)).toBe(value);
    }
  });

  it('encodes shares as one u64 per prime and refuses wrong lengths and unreduced residues', () => {
    const bytes = encodeResidues([5n, primes[1] as bigint - 1n]);
    expect(bytes.length).toBe(16);
    expect(decodeResidues(bytes, primes, 'share')).toEqual([5n, (primes[1] as bigint) - 1n]);
    expect(() => decodeResidues(bytes.subarray(0, 8), primes, 'share')).toThrow(CiphertextError);
    expect(() => decodeResidues(encodeResidues([primes[0] as bigint, 0n]), primes, 'share')).toThrow(/residue 0 is not below its prime/);
  });
});
