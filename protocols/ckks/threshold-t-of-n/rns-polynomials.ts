/**
 * The two RNS polynomial operations the Thresholdizer needs beyond addition, both exact in JS Numbers:
 * - a uniform polynomial modulo every prime from node:crypto (rejection sampling, so no modular bias);
 * - multiplication by a small public integer (an evaluation point α ≤ 1024) by double-and-add, i.e.
 *   only modular additions (rns-words.ts). Large scalars (Lagrange coefficients) go through SEAL.
 * Layout: SEAL's, prime-major, each coefficient two u32 words (lo, hi) — see ../threshold/rns-words.ts.
 */
import { randomFillSync } from 'node:crypto';
import { addRnsInPlace, polyWordCount, type RnsPrimes } from '../threshold/rns-words.js';

/** Uniform coefficients modulo each prime, NTT form or not alike (the NTT is a bijection). */
export function uniformRnsPolynomial(primes: RnsPrimes, polyModulusDegree: number): Uint32Array {
  const primeCount = primes.values.length;
  const words = new Uint32Array(polyWordCount(polyModulusDegree, primeCount));
  const pool = new Uint32Array(2 * 4096);
  let next = pool.length;
  try {
    for (let prime = 0; prime < primeCount; prime += 1) {
      const qHi = primes.hi[prime] as number;
      const qLo = primes.lo[prime] as number;
      // Mask the high word to the prime's bit length: each draw is accepted with probability > 1/2.
      const hiMask = qHi === 0 ? 0 : 2 ** (32 - Math.clz32(qHi)) - 1;
      const base = prime * polyModulusDegree * 2;
      for (let t = 0; t < polyModulusDegree; ) {
        if (next >= pool.length) {
          randomFillSync(pool);
          next = 0;
        }
        const lo = pool[next] as number;
        const hi = ((pool[next + 1] as number) & hiMask) >>> 0;
        next += 2;
        if (hi > qHi || (hi === qHi && lo >= qLo)) continue;
        words[base + 2 * t] = lo;
        words[base + 2 * t + 1] = hi;
        t += 1;
      }
    }
    return words;
  } finally {
    pool.fill(0);
  }
}

/** factor · words (mod each prime) for a small non-negative integer factor; returns a new array. */
export function multiplyRnsBySmallInteger(words: Uint32Array, factor: number, primes: RnsPrimes, polyModulusDegree: number): Uint32Array {
  if (!Number.isInteger(factor) || factor < 0 || factor > 0xffff) throw new RangeError(`small RNS factor ${factor} is out of range`);
  const result = new Uint32Array(words.length);
  for (let bit = 31 - Math.clz32(factor); bit >= 0; bit -= 1) {
    addRnsInPlace(result, result, primes, polyModulusDegree);
    if ((factor >>> bit) & 1) addRnsInPlace(result, words, primes, polyModulusDegree);
  }
  return result;
}
