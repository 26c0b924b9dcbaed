/**
 * Rényi DP of the Poisson-subsampled Gaussian mechanism (sampling rate q, noise multiplier σ, i.e.
 * noise std σ·C for L2 sensitivity C), after Mironov, Talwar & Zhang, "Rényi Differential Privacy of
 * the Sampled Gaussian Mechanism" (arXiv 1908.10530, §3.3), computed as TF Privacy and Opacus
 * (`opacus/accountants/analysis/rdp.py`) do: RDP(α) = log A_α / (α − 1), where
 *
 * - integer α: A_α = Σ_{i=0..α} C(α,i) q^i (1−q)^(α−i) e^((i²−i)/(2σ²)), summed in the log domain;
 * - fractional α: the two-sided series with erfc weights (split at z0 = σ² log(1/q − 1) + ½),
 *   summed until both terms fall below e^−30, as `_compute_log_a_frac`.
 *
 * Special cases: q = 0 gives 0; σ = 0 gives ∞; q = 1 is the plain Gaussian mechanism, α/(2σ²).
 * Mironov 2019's bound is for the add-or-remove-one neighbouring relation.
 */
import { logAdd, logErfc, logSub } from './log-math.js';

/** RDP ε(α) of one step, at each order. */
export function subsampledGaussianRdp(sampleRate: number, noiseMultiplier: number, orders: readonly number[]): Float64Array {
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new RangeError(`sample rate must lie in [0, 1], got ${sampleRate}`);
  if (!(noiseMultiplier >= 0)) throw new RangeError(`noise multiplier must be >= 0, got ${noiseMultiplier}`);
  return Float64Array.from(orders, (order) => rdpAtOrder(sampleRate, noiseMultiplier, order));
}

function rdpAtOrder(q: number, sigma: number, alpha: number): number {
  if (!(alpha > 1)) throw new RangeError(`RDP orders must exceed 1, got ${alpha}`);
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (alpha === Infinity) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  return logA / (alpha - 1);
}

function logAInteger(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinomial = 0; // log C(alpha, i), built up term by term
  for (let i = 0; i <= alpha; i += 1) {
    if (i > 0) logBinomial += Math.log(alpha - i + 1) - Math.log(i);
    const term = logBinomial + i * Math.log(q) + (alpha - i) * Math.log1p(-q) + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

function logAFractional(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logCoef = 0; // log |C(alpha, i)|
  let positive = true; // sign of C(alpha, i)
  for (let i = 0; ; i += 1) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i;
      logCoef += Math.log(Math.abs(factor));
      if (factor < 0) positive = !positive;
    }
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
    if (i > 100_000) throw new RangeError(`fractional-order RDP series did not converge at alpha ${alpha}, sigma ${sigma}`);
  }
  return logAdd(logA0, logA1);
}
