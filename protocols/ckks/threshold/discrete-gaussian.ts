/**
 * Integer discrete Gaussian sampler for smudging noise, driven only by node:crypto randomness.
 *
 * Construction (Micciancio–Walter, "Gaussian Sampling over the Integers: Efficient, Generic,
 * Constant-Time", CRYPTO 2017, after Peikert 2010): a base sampler draws D_{Z,s0} exactly up to 64-bit
 * table precision by inversion of a cumulative table (CDT); two independent samples combine as
 * x1 + z*x2 ~ D_{Z, s*sqrt(1+z^2)}, statistically close as long as z <= s / (sqrt(2) * eta_eps(Z)).
 * Repeating that two or three times reaches 2^30..2^48 from s0 = 2^13 with 4 or 8 base samples per
 * output. eps = 2^-80 gives eta_eps(Z) <= sqrt(ln(2 + 2/eps) / pi) = 4.23, so sqrt(2)*eta < 6.
 *
 * No floating point touches a sample: the table is built once with floats and BigInt, sampling is
 * integer comparison plus exact integer arithmetic in Numbers (|x| < 2^53 is asserted).
 * Not constant-time (JavaScript gives no such guarantee); the table lookup pattern depends on the noise,
 * which matters only to an attacker timing the participant's own process.
 */
import { randomFillSync } from 'node:crypto';

const BASE_SIGMA = 8192;
const SQRT2_ETA = 6;
const GUIDE_BITS = 16;
const RANDOM_WORDS = 1 << 14;

interface BaseTable {
  readonly cdfHi: Uint32Array;
  readonly cdfLo: Uint32Array;
  readonly guideStart: Uint32Array;
  readonly guideEnd: Uint32Array;
  /** Largest magnitude the table can return. */
  readonly maxMagnitude: number;
}

let baseTable: BaseTable | undefined;

/**
 * Cumulative table of |x| for x ~ D_{Z,s0}: P(0) = rho(0)/S, P(k) = 2 rho(k)/S, as 64-bit fixed-point
 * integers summing to exactly 2^64; entries whose mass rounds to zero (beyond ~8.7 s0) are dropped.
 */
function buildBaseTable(): BaseTable {
  const weights: number[] = [];
  const normalizer = BASE_SIGMA * Math.sqrt(2 * Math.PI);
  for (let k = 0; ; k += 1) {
    const weight = (k === 0 ? 1 : 2) * Math.exp(-(k * k) / (2 * BASE_SIGMA * BASE_SIGMA));
    if ((weight / normalizer) * 2 ** 64 < 0.5) break;
    weights.push(weight);
  }
  let total = 0;
  for (let k = weights.length - 1; k >= 0; k -= 1) total += weights[k] as number; // small terms first
  const masses = weights.map((weight) => BigInt(Math.round((weight / total) * 2 ** 64)));
  const rest = masses.slice(1).reduce((sum, mass) => sum + mass, 0n);
  masses[0] = (1n << 64n) - rest; // rounding slack goes to the largest entry
  while (masses[masses.length - 1] === 0n) masses.pop();

  const size = masses.length;
  const cdf: bigint[] = [];
  let running = 0n;
  for (const mass of masses) {
    running += mass;
    cdf.push(running);
  }
  const cdfHi = new Uint32Array(size);
  const cdfLo = new Uint32Array(size);
  cdf.forEach((value, index) => {
    const clamped = value >= 1n << 64n ? (1n << 64n) - 1n : value; // the last entry is never compared
    cdfHi[index] = Number(clamped >> 32n);
    cdfLo[index] = Number(clamped & 0xffffffffn);
  });

  // Guide table: for each value of the top 16 random bits, the range of indices the answer can lie in.
  const buckets = 1 << GUIDE_BITS;
  const guideStart = new Uint32Array(buckets);
  const guideEnd = new Uint32Array(buckets);
  const shift = BigInt(64 - GUIDE_BITS);
  let first = 0;
  let last = 0;
  for (let bucket = 0; bucket < buckets; bucket += 1) {
    const low = BigInt(bucket) << shift;
    const high = (BigInt(bucket + 1) << shift) - 1n;
    while (first < size - 1 && (cdf[first] as bigint) <= low) first += 1;
    if (last < first) last = first;
    while (last < size - 1 && (cdf[last] as bigint) <= high) last += 1;
    guideStart[bucket] = first;
    guideEnd[bucket] = last;
  }
  return { cdfHi, cdfLo, guideStart, guideEnd, maxMagnitude: size - 1 };
}

/** Samples integers from (a distribution statistically close to) D_{Z,sigma} with sigma >= 2^sigmaBits. */
export class DiscreteGaussianSampler {
  /** Standard deviation actually produced: at least 2^sigmaBits, at most a few percent above. */
  readonly sigma: number;
  /** Convolution multipliers z_1..z_L; output = sum over 2^L base samples with products of z's. */
  readonly multipliers: readonly number[];

  private readonly table: BaseTable;
  private readonly weights: Float64Array;
  private readonly random = new Uint32Array(RANDOM_WORDS);
  private cursor = RANDOM_WORDS;
  private signWord = 0;
  private signBits = 0;

  constructor(sigmaBits: number) {
    if (!Number.isFinite(sigmaBits) || sigmaBits < 1 || sigmaBits > 48) throw new RangeError(`sigma 2^${sigmaBits} is outside 2^1..2^48`);
    this.table = baseTable ??= buildBaseTable();
    const target = 2 ** sigmaBits;
    const multipliers: number[] = [];
    let sigma = BASE_SIGMA;
    while (sigma < target) {
      const largest = Math.floor(sigma / SQRT2_ETA);
      if (sigma * Math.sqrt(1 + largest * largest) >= target) {
        const needed = Math.max(1, Math.ceil(Math.sqrt((target / sigma) ** 2 - 1)));
        multipliers.push(needed);
        sigma *= Math.sqrt(1 + needed * needed);
        break;
      }
      multipliers.push(largest);
      sigma *= Math.sqrt(1 + largest * largest);
    }
    this.sigma = sigma;
    this.multipliers = multipliers;
    // Base sample m enters with weight prod of z_i over the set bits i of m: x = x0 + z1*x1 at level 1, etc.
    this.weights = new Float64Array(1 << multipliers.length).map((_, index) =>
      multipliers.reduce((product, z, bit) => ((index >> bit) & 1 ? product * z : product), 1),
    );
    const bound = this.weights.reduce((sum, weight) => sum + weight, 0) * this.table.maxMagnitude;
    if (bound >= 2 ** 53) throw new RangeError(`sigma 2^${sigmaBits} would overflow exact integer arithmetic`);
  }

  /** Fills `target` with independent samples. */
  fill(target: Float64Array): void {
    const weights = this.weights;
    const count = weights.length;
    for (let index = 0; index < target.length; index += 1) {
      let value = 0;
      for (let part = 0; part < count; part += 1) value += (weights[part] as number) * this.sampleBase();
      target[index] = value;
    }
  }

  /** Zeroes the buffered randomness, which determines samples not yet drawn. */
  wipe(): void {
    this.random.fill(0);
    this.cursor = RANDOM_WORDS;
    this.signWord = 0;
    this.signBits = 0;
  }

  private sampleBase(): number {
    if (this.cursor + 2 > RANDOM_WORDS) this.refill();
    const hi = this.random[this.cursor] as number;
    const lo = this.random[this.cursor + 1] as number;
    this.cursor += 2;
    const { cdfHi, cdfLo, guideStart, guideEnd } = this.table;
    const bucket = hi >>> (32 - GUIDE_BITS);
    let left = guideStart[bucket] as number;
    let right = guideEnd[bucket] as number;
    // Smallest k with u < CDF[k]; CDF[right] > u holds by construction of the guide.
    while (left < right) {
      const middle = (left + right) >>> 1;
      const middleHi = cdfHi[middle] as number;
      if (hi < middleHi || (hi === middleHi && lo < (cdfLo[middle] as number))) right = middle;
      else left = middle + 1;
    }
    if (this.signBits === 0) {
      if (this.cursor + 1 > RANDOM_WORDS) this.refill();
      this.signWord = this.random[this.cursor] as number;
      this.cursor += 1;
      this.signBits = 32;
    }
    const negative = this.signWord & 1;
    this.signWord >>>= 1;
    this.signBits -= 1;
    return negative === 1 ? -left : left;
  }

  private refill(): void {
    randomFillSync(this.random);
    this.cursor = 0;
  }
}
