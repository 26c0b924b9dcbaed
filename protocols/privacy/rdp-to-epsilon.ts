/**
 * Conversion from an RDP curve to (ε, δ)-DP, minimised over the orders.
 *
 * - 'balle2020' (default): Balle, Barthe, Gaboardi, Hsu & Sato, "Hypothesis Testing Interpretations
 *   and Rényi DP" (AISTATS 2020, arXiv 1905.09982, Thm 21), also Canonne, Kamath & Steinke 2020
 *   Prop. 12: ε = RDP(α) + log((α−1)/α) − (log δ + log α)/(α − 1). This is what Opacus's
 *   `get_privacy_spent` and TF Privacy use, and what the design note's test vectors were computed with.
 * - 'classic': Mironov 2017, Prop. 3: ε = RDP(α) + log(1/δ)/(α − 1). Always looser; for comparison.
 */
export type RdpConversion = 'balle2020' | 'classic';

export interface PrivacySpent {
  epsilon: number;
  /** The order at which the minimum was attained (NaN when every order gives ∞). */
  order: number;
}

export function rdpToEpsilon(orders: readonly number[], rdp: ArrayLike<number>, delta: number, conversion: RdpConversion = 'balle2020'): PrivacySpent {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must lie in (0, 1), got ${delta}`);
  if (orders.length !== rdp.length) throw new RangeError(`${orders.length} orders but ${rdp.length} RDP values`);
  let best: PrivacySpent = { epsilon: Infinity, order: Number.NaN };
  orders.forEach((alpha, index) => {
    const value = rdp[index] as number;
    const epsilon =
      conversion === 'classic'
        ? value - Math.log(delta) / (alpha - 1)
        : value - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
    if (epsilon < best.epsilon) best = { epsilon, order: alpha };
  });
  // Below 0 the mechanism is (0, δ)-DP at this δ; ε is reported as 0 (Opacus would return the negative value).
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}
