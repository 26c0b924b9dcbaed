/**
 * Where DP noise and Poisson sampling get their randomness. Production uses node:crypto's CSPRNG;
 * tests may pass a seeded source (an AES-256-CTR keystream: deterministic, and statistically as good
 * as the CSPRNG) to replay a draw. Nothing here ever touches Math.random.
 */
import { createCipheriv, createHash, randomFillSync } from 'node:crypto';

export interface RandomSource {
  /** Fills `bytes` with uniformly random bytes. */
  fill(bytes: Uint8Array): void;
}

export const cryptoRandomSource: RandomSource = {
  fill: (bytes) => {
    randomFillSync(bytes);
  },
};

/** Deterministic, for tests and reproducible simulations only; never for a real participant's noise. */
export function seededRandomSource(seed: string): RandomSource {
  const key = createHash('sha256').update(`hefl-dp-test-seed:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return {
    fill: (bytes) => {
      const stream = cipher.update(new Uint8Array(bytes.length));
      bytes.set(stream);
    },
  };
}

const WORDS = 4096;

/** Buffered 32-bit words from a RandomSource, with the exact uniform and Bernoulli draws built on them. */
export class RandomWords {
  private readonly words = new Uint32Array(WORDS);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private cursor = WORDS;
  private bitWord = 0;
  private bitsLeft = 0;

  constructor(private readonly source: RandomSource = cryptoRandomSource) {}

  /** A uniform 32-bit unsigned integer. */
  word(): number {
    if (this.cursor === WORDS) {
      this.source.fill(this.bytes);
      this.cursor = 0;
    }
    const value = this.words[this.cursor] as number;
    this.cursor += 1;
    return value;
  }

  /** A uniform integer in [0, 2^53). */
  uniform53(): number {
    return (this.word() & 0x1fffff) * 2 ** 32 + this.word();
  }

  /** One fair bit. */
  bit(): number {
    if (this.bitsLeft === 0) {
      this.bitWord = this.word();
      this.bitsLeft = 32;
    }
    const value = this.bitWord & 1;
    this.bitWord >>>= 1;
    this.bitsLeft -= 1;
    return value;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32, by rejection (no modulo bias). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`below() needs an integer in [1, 2^32], got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const value = this.word();
      if (value < limit) return value % n;
    }
  }

  /**
   * Bernoulli(n/d) exactly, for integers 0 ≤ n, 1 ≤ d: compares a uniform real U ∈ [0,1), drawn 32
   * bits at a time, with n/d. The first word decides unless it lands within one unit of n·2^32/d
   * (probability ≤ 3·2^-32), which a float estimate tells safely; only then is BigInt arithmetic used.
   */
  bernoulli(n: bigint, d: bigint): boolean {
    if (n >= d) return true;
    if (n <= 0n) return false;
    return this.bernoulliEstimated(Number(n) / Number(d), () => ({ n, d }));
  }

  /**
   * Bernoulli(p) exactly, given `estimate` within a relative 2^-50 of p (a few float operations on
   * the exact integers) and `exact()` returning p = n/d, called only when the first word ties.
   */
  bernoulliEstimated(estimate: number, exact: () => { n: bigint; d: bigint }): boolean {
    if (!(estimate >= 0 && estimate < Infinity)) throw new RangeError(`probability estimate ${estimate} is not a finite non-negative number`);
    const threshold = estimate * 2 ** 32; // off by less than 2^-18 when below 2^32
    const word = this.word();
    if (word + 1 < Math.floor(threshold)) return true; // U < (word+1)/2^32 ≤ p
    if (word > Math.ceil(threshold)) return false; // U ≥ word/2^32 > p
    // U = (word + U')/2^32 with U' uniform: U < n/d ⇔ U' < (n·2^32 − word·d)/d.
    const { n, d } = exact();
    return this.bernoulli((n << 32n) - BigInt(word) * d, d);
  }

  /** A reusable exact Bernoulli(p) draw for a fixed double p (Poisson sampling: one per row). */
  bernoulliSampler(p: number): () => boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${p}`);
    const { numerator, denominator } = exactRatio(p);
    const threshold = p * 2 ** 32; // exact: scaling a double by a power of two
    const low = Math.floor(threshold);
    const high = Math.ceil(threshold);
    return () => {
      const word = this.word();
      if (word + 1 <= low) return true;
      if (word >= high) return false;
      return this.bernoulli((numerator << 32n) - BigInt(word) * denominator, denominator);
    };
  }

  /** Bernoulli(p) for a double p in [0, 1], exactly: p is the dyadic rational its bits spell. */
  bernoulliNumber(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${p}`);
    const { numerator, denominator } = exactRatio(p);
    return this.bernoulli(numerator, denominator);
  }
}

/** The exact value of a finite non-negative double as numerator / 2^k. */
export function exactRatio(value: number): { numerator: bigint; denominator: bigint } {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`expected a finite non-negative number, got ${value}`);
  let scaled = value;
  let shift = 0n;
  while (!Number.isInteger(scaled)) {
    scaled *= 2; // exact: doubling only changes the exponent
    shift += 1n;
  }
  return { numerator: BigInt(scaled), denominator: 1n << shift };
}
