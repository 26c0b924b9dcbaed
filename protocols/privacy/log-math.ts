/**
 * Log-domain helpers for the RDP accountant: sums of exponentials without overflow, and log erfc
 * to full double precision across the whole real line (the fractional-order series needs erfc of
 * arguments from about −40 to +40, where erfc itself under- or overflows a naive 1 − erf).
 */

/** log(e^a + e^b). */
export function logAdd(a: number, b: number): number {
  const high = Math.max(a, b);
  const low = Math.min(a, b);
  if (low === -Infinity) return high;
  return high + Math.log1p(Math.exp(low - high));
}

/** log(e^a − e^b) for a ≥ b; −∞ when they are equal. */
export function logSub(a: number, b: number): number {
  if (b > a) throw new RangeError(`logSub needs a >= b, got ${a} < ${b}`);
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  // log(e^a − e^b) = a + log(1 − e^(b − a)), with expm1 keeping precision when b is close to a.
  return a + Math.log(-Math.expm1(b - a));
}

/** Natural log of the complementary error function erfc(x) = 2/√π ∫_x^∞ e^(−t²) dt. */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x < 2.5) return Math.log1p(-erfSeries(x));
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(erfcContinuedFraction(x));
}

/**
 * erf(x) = 2/√π · e^(−x²) · Σ_n (2x²)^n · x / (1·3·…·(2n+1)): every term is positive, so no
 * cancellation; used below 2.5, where erfc ≥ 4e-4 keeps 1 − erf within ~1e-12 relative error.
 */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 500 && term > sum * 1e-17; n += 1) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * The denominator D of erfc(x) = e^(−x²)/(√π · D), D = x + (1/2)/(x + 1/(x + (3/2)/(x + …))),
 * evaluated backwards from a fixed depth; for x ≥ 2.5 300 levels converge to double precision.
 */
function erfcContinuedFraction(x: number): number {
  let tail = x;
  for (let n = 300; n >= 1; n -= 1) tail = x + n / 2 / tail;
  return tail;
}
