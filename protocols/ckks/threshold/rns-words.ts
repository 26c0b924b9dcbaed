/**
 * RNS polynomials as JS sees them: every 64-bit coefficient is two little-endian u32 words (lo, hi) in a
 * Uint32Array, in SEAL's order — polynomial j, prime i, coefficient t at word pair (j*k + i)*N + t.
 * Only additions, subtractions and range checks live here: SEAL does every NTT and multiplication.
 * Numbers stay exact because each half is below 2^32 and SEAL primes are below 2^61.
 */
import { endianness } from 'node:os';

// The u32 views below reinterpret SEAL's little-endian bytes in place; a big-endian host would misread them.
if (endianness() !== 'LE') throw new Error('HEFL threshold CKKS needs a little-endian host');

const TWO_32 = 2 ** 32;

/** The primes of one RNS level, split into u32 halves for exact Number arithmetic. */
export interface RnsPrimes {
  readonly values: readonly bigint[];
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
}

export function rnsPrimes(values: readonly bigint[]): RnsPrimes {
  const hi = new Uint32Array(values.length);
  const lo = new Uint32Array(values.length);
  values.forEach((prime, index) => {
    if (prime <= 1n || prime >= 1n << 61n) throw new RangeError(`prime ${prime} is outside SEAL's range`);
    hi[index] = Number(prime >> 32n);
    lo[index] = Number(prime & 0xffffffffn);
  });
  return { values: [...values], hi, lo };
}

/** Number of u32 words one polynomial occupies at a level with `primeCount` primes. */
export function polyWordCount(polyModulusDegree: number, primeCount: number): number {
  return 2 * polyModulusDegree * primeCount;
}

/** target = (target + addend) mod q, coefficient-wise; both operands must already be reduced. */
export function addRnsInPlace(target: Uint32Array, addend: Uint32Array, primes: RnsPrimes, polyModulusDegree: number): void {
  checkSameLength(target, addend);
  const primeCount = primes.values.length;
  const coefficientCount = target.length / 2;
  for (let start = 0, block = 0; start < coefficientCount; start += polyModulusDegree, block += 1) {
    const prime = block % primeCount;
    const qHi = primes.hi[prime] as number;
    const qLo = primes.lo[prime] as number;
    const end = start + polyModulusDegree;
    for (let coefficient = start; coefficient < end; coefficient += 1) {
      const w = coefficient * 2;
      let lo = (target[w] as number) + (addend[w] as number);
      let hi = (target[w + 1] as number) + (addend[w + 1] as number);
      if (lo >= TWO_32) {
        lo -= TWO_32;
        hi += 1;
      }
      if (hi > qHi || (hi === qHi && lo >= qLo)) {
        lo -= qLo;
        hi -= qHi;
        if (lo < 0) {
          lo += TWO_32;
          hi -= 1;
        }
      }
      target[w] = lo;
      target[w + 1] = hi;
    }
  }
}

/** target = (target - subtrahend) mod q, coefficient-wise; both operands must already be reduced. */
export function subtractRnsInPlace(target: Uint32Array, subtrahend: Uint32Array, primes: RnsPrimes, polyModulusDegree: number): void {
  checkSameLength(target, subtrahend);
  const primeCount = primes.values.length;
  const coefficientCount = target.length / 2;
  for (let start = 0, block = 0; start < coefficientCount; start += polyModulusDegree, block += 1) {
    const prime = block % primeCount;
    const qHi = primes.hi[prime] as number;
    const qLo = primes.lo[prime] as number;
    const end = start + polyModulusDegree;
    for (let coefficient = start; coefficient < end; coefficient += 1) {
      const w = coefficient * 2;
      let lo = (target[w] as number) - (subtrahend[w] as number);
      let hi = (target[w + 1] as number) - (subtrahend[w + 1] as number);
      if (lo < 0) {
        lo += TWO_32;
        hi -= 1;
      }
      if (hi < 0) {
        lo += qLo;
        hi += qHi;
        if (lo >= TWO_32) {
          lo -= TWO_32;
          hi += 1;
        }
      }
      target[w] = lo;
      target[w + 1] = hi;
    }
  }
}

/** Index of the first coefficient that is not below its prime, or -1 when all are reduced. */
export function findUnreducedCoefficient(words: Uint32Array, primes: RnsPrimes, polyModulusDegree: number): number {
  const primeCount = primes.values.length;
  const coefficientCount = words.length / 2;
  for (let start = 0, block = 0; start < coefficientCount; start += polyModulusDegree, block += 1) {
    const prime = block % primeCount;
    const qHi = primes.hi[prime] as number;
    const qLo = primes.lo[prime] as number;
    const end = Math.min(coefficientCount, start + polyModulusDegree);
    for (let coefficient = start; coefficient < end; coefficient += 1) {
      const hi = words[coefficient * 2 + 1] as number;
      if (hi > qHi || (hi === qHi && (words[coefficient * 2] as number) >= qLo)) return coefficient;
    }
  }
  return -1;
}

/**
 * Writes the integer polynomial `values` (|value| < 2^53, exact integers) as its residues modulo every
 * prime of the level, starting at word pair `firstCoefficient` (SEAL order: prime-major). This is how one
 * integer noise polynomial becomes an RNS polynomial without any multiplication.
 */
export function writeSignedResidues(values: Float64Array, primes: RnsPrimes, target: Uint32Array, firstCoefficient: number): void {
  const degree = values.length;
  for (let prime = 0; prime < primes.values.length; prime += 1) {
    const qHi = primes.hi[prime] as number;
    const qLo = primes.lo[prime] as number;
    const base = (firstCoefficient + prime * degree) * 2;
    for (let t = 0; t < degree; t += 1) {
      const value = values[t] as number;
      const magnitude = value < 0 ? -value : value;
      let lo = magnitude % TWO_32;
      let hi = (magnitude - lo) / TWO_32;
      if (value < 0) {
        // The residue of a negative value is q - |value|; a value as large as q would not be noise.
        if (hi > qHi || (hi === qHi && lo >= qLo)) throw new RangeError('noise value exceeds a prime of the level');
        lo = qLo - lo;
        hi = qHi - hi;
        if (lo < 0) {
          lo += TWO_32;
          hi -= 1;
        }
      } else if (hi > qHi || (hi === qHi && lo >= qLo)) {
        throw new RangeError('noise value exceeds a prime of the level');
      }
      target[base + 2 * t] = lo;
      target[base + 2 * t + 1] = hi;
    }
  }
}

/** Copies the u32 words of `bytes[offset, offset + wordCount*4)` into a fresh, aligned Uint32Array. */
export function copyWords(bytes: Uint8Array, offset: number, wordCount: number): Uint32Array {
  const words = new Uint32Array(wordCount);
  // Byte 113 of a SEAL ciphertext is not 4-aligned, so copy rather than view.
  new Uint8Array(words.buffer).set(bytes.subarray(offset, offset + wordCount * 4));
  return words;
}

/** The bytes of a Uint32Array, as a view (no copy). */
export function wordBytes(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

function checkSameLength(a: Uint32Array, b: Uint32Array): void {
  if (a.length !== b.length) throw new RangeError(`RNS operands differ in length (${a.length} vs ${b.length} words)`);
}
