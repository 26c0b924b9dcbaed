/**
 * ROC AUC as the Mann-Whitney statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (average ranks). Labels are 1 (positive) or 0.
 * NaN when only one class is present, since AUC is undefined there.
 */
export function computeAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const count = scores.length;
  if (labels.length !== count) throw new RangeError(`computeAuc: ${count} scores but ${labels.length} labels`);
  let positives = 0;
  for (let index = 0; index < count; index += 1) {
    const label = labels[index] as number;
    if (label !== 0 && label !== 1) throw new RangeError(`computeAuc: label ${label} at ${index} is not 0 or 1`);
    if (Number.isNaN(scores[index] as number)) throw new RangeError(`computeAuc: score at ${index} is NaN`);
    positives += label;
  }
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;

  const order = Array.from({ length: count }, (_, index) => index).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positiveRankSum = 0;
  for (let start = 0; start < count; ) {
    const score = scores[order[start] as number] as number;
    let end = start;
    while (end + 1 < count && scores[order[end + 1] as number] === score) end += 1;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let position = start; position <= end; position += 1) {
      if (labels[order[position] as number] === 1) positiveRankSum += averageRank;
    }
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
