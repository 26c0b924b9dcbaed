import { describe, expect, it } from 'vitest';
import { evaluateLoss } from '../model/evaluate-model.js';
import { computeAuc } from '../../participant/data/compute-auc.js';
import { EVALUATION_VALUES, evaluationCounts, federatedEvaluation, ROC_BINS } from './evaluation-counts.js';
import { createSeededRandom } from './seeded-random.js';

function sample(rows: number, seed: number, shift: number): { scores: Float64Array; labels: Float64Array } {
  const random = createSeededRandom(seed);
  const labels = Float64Array.from({ length: rows }, () => (random() < 0.15 ? 1 : 0));
  // Positives score higher on average; scores crowd into [0, 0.4] like a real credit model's.
  const scores = labels.map((label) => Math.min(1, Math.max(0, 0.4 * random() ** 2 + (label ? shift * random() : 0))));
  return { scores, labels };
}

describe('federated evaluation from encrypted counts', () => {
  it('the AUC and loss of summed per-node counts match the pooled rows (within the bins\' resolution)', () => {
    const nodes = [sample(3_000, 1, 0.2), sample(1_200, 2, 0.1), sample(5_000, 3, 0.3)];
    const sum = new Float64Array(EVALUATION_VALUES);
    for (const node of nodes) evaluationCounts(node.scores, node.labels).forEach((value, index) => (sum[index] = (sum[index] as number) + value));
    const pooledScores = nodes.flatMap((node) => Array.from(node.scores));
    const pooledLabels = nodes.flatMap((node) => Array.from(node.labels));
    const federated = federatedEvaluation(sum);
    expect(federated.count).toBe(9_200);
    expect(federated.auc).not.toBeNull();
    expect(Math.abs((federated.auc as number) - computeAuc(pooledScores, pooledLabels))).toBeLessThan(1e-3);
    expect(federated.loss).toBeCloseTo(evaluateLoss(pooledScores, pooledLabels), 9);
  });

  it('is exact when no two scores share a bin, and counts a shared bin as a tie', () => {
    const scores = [0.05, 0.5, 0.95, 0.3];
    const labels = [0, 1, 1, 0];
    expect(federatedEvaluation(evaluationCounts(scores, labels)).auc).toBe(computeAuc(scores, labels));
    expect(federatedEvaluation(evaluationCounts([0.5, 0.5], [1, 0])).auc).toBe(0.5);
  });

  it('tolerates CKKS noise on the counts, and gives no AUC with one class or no rows', () => {
    const noisy = evaluationCounts([0.1, 0.9], [0, 1]).map((value) => value + 3e-7);
    expect(federatedEvaluation(noisy).auc).toBe(1);
    expect(federatedEvaluation(evaluationCounts([0.2, 0.4], [1, 1])).auc).toBeNull();
    const empty = federatedEvaluation(evaluationCounts([], []));
    expect(empty).toEqual({ auc: null, loss: null, count: 0 });
    expect(EVALUATION_VALUES).toBe(2 * ROC_BINS + 2);
  });

  it('refuses NaN scores, non-binary labels and a sum of the wrong length', () => {
    expect(() => evaluationCounts([Number.NaN], [1])).toThrow(/NaN/);
    expect(() => evaluationCounts([0.2], [2])).toThrow(/not 0 or 1/);
    expect(() => federatedEvaluation(new Float64Array(3))).toThrow(/values/);
  });
});
