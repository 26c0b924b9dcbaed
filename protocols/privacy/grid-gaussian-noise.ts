/**
 * Gaussian noise for DP-SGD on a fixed-point grid, so the released value never carries
 * floating-point noise (see exact-discrete-gaussian.ts for why).
 *
 * The mechanism, for clipping norm C, noise multiplier z and grid γ = C·2^−gridBits, on a batch:
 * 1. each per-example vector is clipped to C' = C − γ√d (in float64) and the clipped vectors summed;
 * 2. the sum S is rounded to the grid at random, coordinate j up with probability frac(S_j/γ):
 *    with coins u_j, R_u(S)_j = ⌊S_j/γ⌋ + [u_j < frac(S_j/γ)], unbiased;
 * 3. independent D_{Z, zC/γ} noise is added per coordinate (exact integers), and the result is
 *    scaled back by γ.
 *
 * Privacy: fix the coins u (independent of the data). For two batches differing in one example,
 * |R_u(S)_j − R_u(S')_j − (S_j − S'_j)/γ| < 1 per coordinate (both round with the same threshold), so
 * ‖R_u(S) − R_u(S')‖ < C'/γ + √d ≤ C/γ: step 3 is then the discrete Gaussian mechanism with L2
 * sensitivity C/γ for every u and every batch, which is all that Mironov, Talwar & Zhang's
 * subsampled-Gaussian analysis uses of the query. Rényi divergence is jointly quasi-convex (van Erven
 * & Harremoës 2014, Thm 13), so mixing over u costs nothing. The accountant models the noise as the
 * continuous Gaussian: for σ = zC/γ = z·2^gridBits ≫ 1, every exponential moment of D_{Z,σ} that the
 * subsampled-Gaussian bound uses (Gaussian sums Σ_k e^(−(k−c)²/(2σ²)), any real shift c) equals the
 * continuous integral up to a factor 1 ± 2e^(−2π²σ²) per coordinate by Poisson summation (cf. Canonne,
 * Kamath & Steinke 2020, §2), a negligible gap; a formal subsampled analysis of the discrete Gaussian
 * itself is not part of this module. Everything after step 3 (scaling, float32, the optimizer) is post-processing, and no
 * float ever carries the noise itself.
 *
 * Distributed noise (design note, mode M2): each of P parties adds D_{Z, σ/√P}; the sum has variance
 * σ² (to ~e^(−2π²σ²/P)) and against P − 1 colluding parties the remaining share still gives z/√P.
 */
import { ExactDiscreteGaussian } from './exact-discrete-gaussian.js';
import { type RandomSource, RandomWords } from './random-source.js';

export interface GridNoiseOptions {
  /** L2 clipping norm C of one example's contribution. */
  clipNorm: number;
  /** Noise multiplier z: the total noise std is z·C. */
  noiseMultiplier: number;
  /** Vector length d. */
  dimension: number;
  /** Grid γ = C·2^−gridBits (default 20: resolution ~1e-6·C, far below the noise). */
  gridBits?: number;
  /** Parties whose shares add up to the total noise (default 1: this party adds all of it). */
  parties?: number;
  source?: RandomSource;
}

export class GridGaussianNoise {
  readonly grid: number;
  /** Clip per-example vectors to this before summing and `roundToGrid`: C − γ√d (less a 2^-40 margin). */
  readonly clipBeforeRounding: number;
  /** Std of this party's share, in grid units: z·C/(γ·√parties) = z·2^gridBits/√parties. */
  readonly shareSigmaInGridUnits: number;
  private readonly random: RandomWords;
  private readonly sampler: ExactDiscreteGaussian;

  constructor(options: GridNoiseOptions) {
    const { clipNorm, noiseMultiplier, dimension, gridBits = 20, parties = 1 } = options;
    if (!(Number.isFinite(clipNorm) && clipNorm > 0)) throw new RangeError(`clipping norm must be positive and finite, got ${clipNorm}`);
    if (!(Number.isFinite(noiseMultiplier) && noiseMultiplier > 0)) throw new RangeError(`noise multiplier must be positive, got ${noiseMultiplier}`);
    if (!Number.isInteger(gridBits) || gridBits < 8 || gridBits > 24) throw new RangeError(`gridBits must be an integer in 8..24, got ${gridBits}`);
    if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`parties must be a positive integer, got ${parties}`);
    this.grid = clipNorm * 2 ** -gridBits;
    // (1 − 2^-40): margin for the rounding of the float computations of norms and ratios.
    this.clipBeforeRounding = clipNorm * (1 - 2 ** -40) - this.grid * Math.sqrt(dimension);
    if (!(this.clipBeforeRounding > clipNorm / 2)) throw new RangeError(`grid 2^-${gridBits} is too coarse for ${dimension} coordinates; raise gridBits`);
    this.random = new RandomWords(options.source);
    this.shareSigmaInGridUnits = (noiseMultiplier * 2 ** gridBits) / Math.sqrt(parties);
    this.sampler = new ExactDiscreteGaussian(this.shareSigmaInGridUnits, options.source);
  }

  /** Randomised, unbiased rounding of the clipped sum to integer grid units (step 2). */
  roundToGrid(values: ArrayLike<number>, target: Float64Array = new Float64Array(values.length)): Float64Array {
    for (let index = 0; index < values.length; index += 1) {
      const scaled = (values[index] as number) / this.grid;
      const floor = Math.floor(scaled);
      // Up with probability (scaled − floor) to within 2^-53: only the bias, never the norm bound
      // (which is all the privacy argument uses), depends on this comparison.
      const rounded = floor + (this.random.uniform53() < (scaled - floor) * 2 ** 53 ? 1 : 0);
      if (!Number.isSafeInteger(rounded)) throw new RangeError('a clipped sum is too large for exact grid arithmetic');
      target[index] = rounded;
    }
    return target;
  }

  /** Adds this party's noise share to an integer grid-unit sum, in place. */
  addNoiseInGridUnits(sum: Float64Array): Float64Array {
    for (let index = 0; index < sum.length; index += 1) {
      const noisy = (sum[index] as number) + this.sampler.sample();
      if (!Number.isSafeInteger(noisy)) throw new RangeError('noisy grid sum left the exact integer range');
      sum[index] = noisy;
    }
    return sum;
  }

  /** Back from grid units to model units (post-processing). */
  toValues(gridUnits: ArrayLike<number>): Float64Array {
    return Float64Array.from(gridUnits, (value) => value * this.grid);
  }
}

/** Poisson sampling (each row independently with probability q), as the RDP accountant assumes. */
export function poissonSample(rowCount: number, sampleRate: number, random: RandomWords): Int32Array {
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError(`sample rate must lie in (0, 1], got ${sampleRate}`);
  const draw = random.bernoulliSampler(sampleRate);
  const chosen: number[] = [];
  for (let row = 0; row < rowCount; row += 1) if (draw()) chosen.push(row);
  return Int32Array.from(chosen);
}
