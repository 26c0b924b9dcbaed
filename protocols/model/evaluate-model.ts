// The same epsilon Keras and tfjs clamp with, so this matches the training loss they report.
const epsilon = 1e-7;

/** Mean binary cross-entropy of probabilities against 0/1 labels, clamped so 0 and 1 stay finite. */
export function evaluateLoss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores but ${labels.length} labels`);
  if (scores.length === 0) throw new Error('cannot evaluate the loss of zero rows');
  let total = 0;
  for (let index = 0; index < scores.length; index++) {
    const score = Math.min(1 - epsilon, Math.max(epsilon, scores[index] ?? 0));
    const label = labels[index] ?? 0;
    total -= label * Math.log(score) + (1 - label) * Math.log(1 - score);
  }
  return total / scores.length;
}
