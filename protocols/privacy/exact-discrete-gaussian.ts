/**
 * Exact sampler for the discrete Gaussian D_{Z,σ}: P(k) ∝ exp(−k²/(2σ²)) over the integers, after
 * Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020,
 * arXiv 2004.00010), Algorithms 1–3: Bernoulli(exp(−γ)) by the alternating-series trick, a discrete
 * Laplace proposal with scale t = ⌊σ⌋ + 1, and rejection with Bernoulli(exp(−(|Y| − σ²/t)²/(2σ²))).
 *
 * Why this and not the smudging sampler (protocols/ckks/threshold/discrete-gaussian.ts): that one is
 * a Micciancio–Walter convolution of 64-bit CDT tables, fast but statistically close rather than
 * exact, and it only reaches σ ≥ 2^sigmaBits "a few percent above". DP-SGD needs the variance the
 * accountant assumes, for any σ (on the fixed-point grid σ = z·C/γ, e.g. z·2^20), so exactness is
 * worth the cost. Every step here is integer or exact rational arithmetic on uniform random words from
 * a CSPRNG: σ² is taken as the exact rational value of the double σ·σ, and probabilities are compared
 * bit-exactly (RandomWords.bernoulli). So no floating-point Gaussian (Box–Muller, Ziggurat) ever
 * touches the noise, and the attacks on such samplers (Mironov 2012, "On significance of the least
 * significant bits for differential privacy"; Jin et al. 2022) do not apply. Not constant-time.
 */
import { exactRatio, type RandomSource, RandomWords } from './random-source.js';

export class ExactDiscreteGaussian {
  /** The scale σ of D_{Z,σ} (its variance is σ² up to a relative e^(−2π²σ²) error, less for σ < 1). */
  readonly sigma: number;
  private readonly random: RandomWords;
  private readonly sigma2Numerator: bigint;
  private readonly sigma2Denominator: bigint;
  private readonly t: bigint;
  private readonly tNumber: number;
  private readonly acceptDenominator: bigint;

  constructor(sigma: number, source?: RandomSource) {
    if (!(Number.isFinite(sigma) && sigma >= 2 ** -8 && sigma <= 2 ** 40)) throw new RangeError(`discrete Gaussian sigma must lie in [2^-8, 2^40], got ${sigma}`);
    this.sigma = sigma;
    this.random = new RandomWords(source);
    const { numerator, denominator } = exactRatio(sigma);
    this.sigma2Numerator = numerator * numerator;
    this.sigma2Denominator = denominator * denominator;
    this.t = integerSquareRoot(this.sigma2Numerator / this.sigma2Denominator) + 1n; // ⌊σ⌋ + 1
    this.tNumber = Number(this.t);
    // γ = (|Y| − σ²/t)²/(2σ²) = (|Y|·t·den − num)² / (2·num·den·t²)
    this.acceptDenominator = 2n * this.sigma2Numerator * this.sigma2Denominator * this.t * this.t;
  }

  /** One sample. */
  sample(): number {
    for (;;) {
      const y = this.discreteLaplace();
      const offset = BigInt(Math.abs(y)) * this.t * this.sigma2Denominator - this.sigma2Numerator;
      if (this.bernoulliExpMinus(offset * offset, this.acceptDenominator)) return y;
    }
  }

  /** Fills `target` with independent samples (integers, exactly representable). */
  fill(target: Float64Array | Int32Array): void {
    for (let index = 0; index < target.length; index += 1) target[index] = this.sample();
  }

  /** CKS Algorithm 2 with s = 1: P(y) ∝ exp(−|y|/t) over the integers. */
  private discreteLaplace(): number {
    const t = this.tNumber;
    for (;;) {
      const u = t <= 2 ** 32 ? this.random.below(t) : uniformBelowLarge(this.random, t);
      if (!this.bernoulliExpMinusSmall(u, t)) continue;
      let v = 0;
      while (this.bernoulliExpMinusSmall(1, 1)) v += 1;
      const x = u + t * v;
      const negative = this.random.bit() === 1;
      if (negative && x === 0) continue;
      if (!Number.isSafeInteger(x)) throw new RangeError('discrete Laplace draw left the exact integer range');
      return negative ? -x : x;
    }
  }

  /** CKS Algorithm 1: Bernoulli(exp(−n/d)) exactly. */
  private bernoulliExpMinus(n: bigint, d: bigint): boolean {
    let rest = n;
    while (rest > d) {
      if (!this.bernoulliExpMinusSmall(1, 1)) return false;
      rest -= d;
    }
    // Bernoulli(exp(−γ)) for γ = rest/d ∈ [0, 1]: K ← 1; while Bernoulli(γ/K), K ← K + 1; return K odd.
    const gamma = Number(rest) / Number(d);
    let k = 1;
    while (this.random.bernoulliEstimated(gamma / k, () => ({ n: rest, d: d * BigInt(k) }))) k += 1;
    return k % 2 === 1;
  }

  /** The same for safe integers 0 ≤ n ≤ d (the Laplace proposal's u/t and the constant 1). */
  private bernoulliExpMinusSmall(n: number, d: number): boolean {
    const gamma = n / d;
    let k = 1;
    while (this.random.bernoulliEstimated(gamma / k, () => ({ n: BigInt(n), d: BigInt(d) * BigInt(k) }))) k += 1;
    return k % 2 === 1;
  }
}

function uniformBelowLarge(random: RandomWords, n: number): number {
  // n ≤ 2^40 + 1 < 2^53: rejection from 53 random bits.
  const limit = 2 ** 53 - (2 ** 53 % n);
  for (;;) {
    const value = (random.word() & 0x1fffff) * 2 ** 32 + random.word();
    if (value < limit) return value % n;
  }
}

function integerSquareRoot(value: bigint): bigint {
  if (value < 2n) return value;
  let x = BigInt(Math.floor(Math.sqrt(Number(value))));
  while (x * x > value) x -= 1n;
  while ((x + 1n) * (x + 1n) <= value) x += 1n;
  return x;
}
