import { evaluateLoss } from '../model/evaluate-model.js';

/**
 * Federated evaluation without per-node metrics: each node encrypts, for the current global model on
 * its own evaluation rows, how many positives and how many negatives score in each of ROC_BINS equal
 * bins of [0, 1], its loss sum and its row count. The decrypted sum is the federation's ROC: the AUC
 * follows from the counts alone (pairs within one bin count one half, as ties do), so no node's own
 * AUC, loss or row count ever leaves it. 2·4095 + 2 values fill one ciphertext of 8,192.
 */
export const ROC_BINS = 4095;
export const EVALUATION_VALUES = 2 * ROC_BINS + 2;

function binOf(score: number): number {
  return Math.min(ROC_BINS - 1, Math.max(0, Math.floor(score * ROC_BINS)));
}

/** One node's evaluation vector: [positives per bin | negatives per bin | loss sum | rows]. All zeros without rows. */
export function evaluationCounts(scores: ArrayLike<number>, labels: ArrayLike<number>): Float64Array {
  if (scores.length !== labels.length) throw new RangeError(`evaluationCounts: ${scores.length} scores but ${labels.length} labels`);
  const vector = new Float64Array(EVALUATION_VALUES);
  if (scores.length === 0) return vector;
  for (let index = 0; index < scores.length; index += 1) {
    const score = scores[index] as number;
    if (Number.isNaN(score)) throw new RangeError(`evaluationCounts: score at ${index} is NaN`);
    const label = labels[index] as number;
    if (label !== 0 && label !== 1) throw new RangeError(`evaluationCounts: label ${label} at ${index} is not 0 or 1`);
    const slot = (label === 1 ? 0 : ROC_BINS) + binOf(score);
    vector[slot] = (vector[slot] as number) + 1;
  }
  vector[2 * ROC_BINS] = evaluateLoss(scores, labels) * scores.length;
  vector[2 * ROC_BINS + 1] = scores.length;
  return vector;
}

export interface FederatedEvaluation {
  /** ROC AUC of the pooled evaluation rows from the binned counts; null with one class or none. */
  readonly auc: number | null;
  readonly loss: number | null;
  readonly count: number;
}

/** The federation's AUC, mean loss and row count from a decrypted sum of evaluation vectors. */
export function federatedEvaluation(sum: ArrayLike<number>): FederatedEvaluation {
  if (sum.length !== EVALUATION_VALUES) throw new RangeError(`an evaluation sum has ${EVALUATION_VALUES} values, got ${sum.length}`);
  // Counts come back from CKKS within ~1e-7 of whole numbers: round them.
  const positives = Array.from({ length: ROC_BINS }, (_, bin) => Math.max(0, Math.round(sum[bin] as number)));
  const negatives = Array.from({ length: ROC_BINS }, (_, bin) => Math.max(0, Math.round(sum[ROC_BINS + bin] as number)));
  const count = Math.max(0, Math.round(sum[2 * ROC_BINS + 1] as number));
  const totalPositives = positives.reduce((total, value) => total + value, 0);
  const totalNegatives = negatives.reduce((total, value) => total + value, 0);
  let concordant = 0;
  let negativesBelow = 0;
  for (let bin = 0; bin < ROC_BINS; bin += 1) {
    concordant += (positives[bin] as number) * (negativesBelow + (negatives[bin] as number) / 2);
    negativesBelow += negatives[bin] as number;
  }
  return {
    auc: totalPositives > 0 && totalNegatives > 0 ? concordant / (totalPositives * totalNegatives) : null,
    loss: count > 0 ? Math.max(0, (sum[2 * ROC_BINS] as number) / count) : null,
    count,
  };
}
