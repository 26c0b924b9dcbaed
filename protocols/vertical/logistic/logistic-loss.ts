/**
 * Mean exact logistic loss −[y log σ(u) + (1−y) log(1−σ(u))] = log(1 + e^u) − y·u, computed stably
 * (the report's training loss; the Taylor recipe only approximates its gradient).
 */
export function logisticLoss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new RangeError(`logisticLoss: ${scores.length} scores but ${labels.length} labels`);
  if (scores.length === 0) return Number.NaN;
  let total = 0;
  for (let index = 0; index < scores.length; index += 1) {
    const u = scores[index] as number;
    const softplus = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
    total += softplus - (labels[index] as number) * u;
  }
  return total / scores.length;
}
