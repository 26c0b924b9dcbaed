/**
 * Test support: Pearson's χ² goodness-of-fit of integer samples against the discrete Gaussian, with
 * an exact p-value from the regularised upper incomplete gamma function Q(df/2, χ²/2)
 * (Numerical Recipes §6.2: series below a + 1, Lentz continued fraction above).
 */
import { logErfc } from '../log-math.js';

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  bins: number;
}

/** Probability that D_{Z,σ} lands in [low, high]: exact sums for σ ≤ 4096, continuity-corrected normal above. */
export function discreteGaussianMass(sigma: number, low: number, high: number): number {
  if (sigma > 4096) return normalMass((low - 0.5) / sigma, (high + 0.5) / sigma);
  const reach = Math.ceil(40 * sigma) + 10;
  let total = 0;
  let inside = 0;
  for (let k = -reach; k <= reach; k += 1) {
    const weight = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += weight;
    if (k >= low && k <= high) inside += weight;
  }
  return inside / total;
}

function normalMass(a: number, b: number): number {
  const upper = (x: number) => (x === Infinity ? 0 : x === -Infinity ? 1 : 0.5 * Math.exp(logErfc(x / Math.SQRT2)));
  return upper(a) - upper(b);
}

/** Bins: single integers for small σ, ⌈σ/4⌉-wide intervals otherwise; tails merged until each expects ≥ 20 draws. */
export function chiSquareAgainstDiscreteGaussian(samples: Float64Array, sigma: number): ChiSquareResult {
  const width = sigma < 4 ? 1 : Math.ceil(sigma / 4);
  const half = Math.ceil((6 * sigma) / width);
  const edges: Array<[number, number]> = [];
  for (let index = -half; index <= half; index += 1) edges.push([index * width - Math.floor(width / 2), index * width - Math.floor(width / 2) + width - 1]);
  edges[0] = [-Infinity, (edges[0] as [number, number])[1]];
  edges[edges.length - 1] = [(edges.at(-1) as [number, number])[0], Infinity];
  const n = samples.length;
  let bins = edges.map(([low, high]) => ({ low, high, expected: n * discreteGaussianMass(sigma, low, high), observed: 0 }));
  const merge = (from: number, into: number) => {
    const a = bins[from] as (typeof bins)[number];
    const b = bins[into] as (typeof bins)[number];
    b.low = Math.min(a.low, b.low);
    b.high = Math.max(a.high, b.high);
    b.expected += a.expected;
    bins.splice(from, 1);
  };
  while (bins.length > 2 && (bins[0] as (typeof bins)[number]).expected < 20) merge(0, 1);
  while (bins.length > 2 && (bins.at(-1) as (typeof bins)[number]).expected < 20) merge(bins.length - 1, bins.length - 2);
  bins = bins.sort((a, b) => a.low - b.low);
  for (const value of samples) {
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value > (bins[mid] as (typeof bins)[number]).high) lo = mid + 1;
      else hi = mid;
    }
    (bins[lo] as (typeof bins)[number]).observed += 1;
  }
  const statistic = bins.reduce((sum, bin) => sum + (bin.observed - bin.expected) ** 2 / bin.expected, 0);
  const degreesOfFreedom = bins.length - 1;
  return { statistic, degreesOfFreedom, pValue: upperRegularizedGamma(degreesOfFreedom / 2, statistic / 2), bins: bins.length };
}

export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n += 1) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/** Lanczos approximation (g = 7, n = 9), ~1e-15 relative accuracy for a > 0. */
export function logGamma(a: number): number {
  const coefficients = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (a < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
  const z = a - 1;
  let sum = coefficients[0] as number;
  for (let i = 1; i < 9; i += 1) sum += (coefficients[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
