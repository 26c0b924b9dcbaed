import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addRnsInPlace, copyWords, findUnreducedCoefficient, rnsPrimes, subtractRnsInPlace, writeSignedResidues } from './rns-words.js';

// SEAL's three 60-bit primes for N = 8192 and a 30-bit one: exercise both carry paths.
const primes = rnsPrimes([1152921504606683137n, 1152921504606748673n, 1073692673n]);
const degree = 8;

function randomReduced(): Uint32Array {
  const words = new Uint32Array(degree * primes.values.length * 2);
  for (let coefficient = 0; coefficient < words.length / 2; coefficient += 1) {
    const prime = primes.values[Math.floor(coefficient / degree) % primes.values.length] as bigint;
    const value = BigInt('0x' + randomBytes(8).toString('hex')) % prime;
    words[2 * coefficient] = Number(value & 0xffffffffn);
    words[2 * coefficient + 1] = Number(value >> 32n);
  }
  return words;
}

function toBigInts(words: Uint32Array): bigint[] {
  return Array.from({ length: words.length / 2 }, (_, index) => (BigInt(words[2 * index + 1] as number) << 32n) | BigInt(words[2 * index] as number));
}

describe('RNS word arithmetic', () => {
  it('adds and subtracts modulo each prime exactly like BigInt', () => {
    for (let trial = 0; trial < 50; trial += 1) {
      const a = randomReduced();
      const b = randomReduced();
      const sum = Uint32Array.from(a);
      addRnsInPlace(sum, b, primes, degree);
      const difference = Uint32Array.from(a);
      subtractRnsInPlace(difference, b, primes, degree);
      const [av, bv, sv, dv] = [a, b, sum, difference].map(toBigInts) as [bigint[], bigint[], bigint[], bigint[]];
      av.forEach((value, index) => {
        const prime = primes.values[Math.floor(index / degree) % primes.values.length] as bigint;
        expect(sv[index]).toBe((value + (bv[index] as bigint)) % prime);
        expect(dv[index]).toBe((((value - (bv[index] as bigint)) % prime) + prime) % prime);
      });
    }
  });

  it('finds unreduced coefficients and writes signed residues', () => {
    const words = randomReduced();
    expect(findUnreducedCoefficient(words, primes, degree)).toBe(-1);
    // Coefficient 2*degree + 3 lies under the 30-bit prime: set it to exactly that prime.
    words[2 * (2 * degree + 3)] = Number(primes.values[2] as bigint);
    words[2 * (2 * degree + 3) + 1] = 0;
    expect(findUnreducedCoefficient(words, primes, degree)).toBe(2 * degree + 3);

    const cases: [ReturnType<typeof rnsPrimes>, Float64Array][] = [
      [rnsPrimes(primes.values.slice(0, 2)), Float64Array.from([0, 1, -1, 2 ** 52, -(2 ** 52), 12345, -98765, -0])],
      [primes, Float64Array.from([0, 1, -1, 2 ** 29, -(2 ** 29), 12345, -98765, -0])],
    ];
    for (const [level, values] of cases) {
      const target = new Uint32Array(degree * level.values.length * 2 + 4);
      writeSignedResidues(values, level, target, 2); // at an offset of two coefficients
      const residues = toBigInts(target);
      level.values.forEach((prime, p) => {
        values.forEach((value, t) => {
          expect(residues[2 + p * degree + t]).toBe(((BigInt(value) % prime) + prime) % prime);
        });
      });
    }
    expect(() => writeSignedResidues(Float64Array.from([2 ** 31]), rnsPrimes([1073692673n]), new Uint32Array(2), 0)).toThrow(RangeError);
  });

  it('copies words from unaligned offsets', () => {
    const bytes = new Uint8Array(21);
    bytes.set([1, 0, 0, 0, 2, 0, 0, 0], 13);
    expect(Array.from(copyWords(bytes, 13, 2))).toEqual([1, 2]);
  });
});
