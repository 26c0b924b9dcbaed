import { z } from 'zod';
import type { VerticalOptimizer } from './vertical-training-settings.js';

/**
 * One party's optimizer state for its own weight block. Plain numbers so it survives JSON (restart
 * from a checkpoint). SGD, momentum and Adam are all coordinate-wise, so a party updating only its
 * own block with its own gradient is exactly the global optimizer restricted to that block.
 */
export const optimizerStateSchema = z.strictObject({
  kind: z.enum(['sgd', 'momentum', 'adam']),
  step: z.number().int().min(0),
  // Momentum: velocity; Adam: first moment. Empty for SGD.
  first: z.array(z.number()),
  // Adam: second moment. Empty otherwise.
  second: z.array(z.number()),
});

export type OptimizerState = z.infer<typeof optimizerStateSchema>;

export interface ApplyGradientSettings {
  optimizer: VerticalOptimizer;
  learningRate: number;
  l2: number;
  /** This party's intercept column (the bank's column of ones), exempt from L2. */
  interceptIndex?: number | undefined;
}

const MOMENTUM = 0.9;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export function initialOptimizerState(kind: VerticalOptimizer, featureCount: number): OptimizerState {
  const zeros = (): number[] => new Array<number>(featureCount).fill(0);
  return {
    kind,
    step: 0,
    first: kind === 'sgd' ? [] : zeros(),
    second: kind === 'adam' ? zeros() : [],
  };
}

/** g_j = sums_j / |b| + λ·w_j (no λ on the intercept): the mean Taylor gradient of the regularised loss. */
export function regularisedGradient(weights: Float64Array, sums: Float64Array, batchRows: number, l2: number, interceptIndex?: number): Float64Array {
  if (!(batchRows > 0)) throw new RangeError(`regularisedGradient: batch of ${batchRows} rows`);
  if (sums.length !== weights.length) throw new RangeError(`regularisedGradient: ${sums.length} sums for ${weights.length} weights`);
  return Float64Array.from(sums, (sum, j) => sum / batchRows + (j === interceptIndex ? 0 : l2 * (weights[j] as number)));
}

/**
 * One local step: returns the new weights and state, leaving the inputs untouched (a failed round can
 * be retried from the old ones).
 */
export function applyGradient(
  weights: Float64Array,
  state: OptimizerState,
  sums: Float64Array,
  batchRows: number,
  settings: ApplyGradientSettings,
): { weights: Float64Array; state: OptimizerState } {
  if (state.kind !== settings.optimizer) throw new RangeError(`applyGradient: state is for ${state.kind}, settings say ${settings.optimizer}`);
  const gradient = regularisedGradient(weights, sums, batchRows, settings.l2, settings.interceptIndex);
  const next = Float64Array.from(weights);
  const step = state.step + 1;
  const rate = settings.learningRate;
  if (state.kind === 'sgd') {
    for (let j = 0; j < next.length; j += 1) next[j] = (next[j] as number) - rate * (gradient[j] as number);
    return { weights: next, state: { ...state, step } };
  }
  if (state.first.length !== weights.length) throw new RangeError(`applyGradient: state has ${state.first.length} entries for ${weights.length} weights`);
  if (state.kind === 'momentum') {
    // Heavy ball: v ← μv + g; w ← w − ηv.
    const velocity = state.first.map((value, j) => MOMENTUM * value + (gradient[j] as number));
    for (let j = 0; j < next.length; j += 1) next[j] = (next[j] as number) - rate * (velocity[j] as number);
    return { weights: next, state: { ...state, step, first: velocity } };
  }
  const first = state.first.map((value, j) => BETA1 * value + (1 - BETA1) * (gradient[j] as number));
  const second = state.second.map((value, j) => BETA2 * value + (1 - BETA2) * (gradient[j] as number) ** 2);
  const correction1 = 1 - BETA1 ** step;
  const correction2 = 1 - BETA2 ** step;
  for (let j = 0; j < next.length; j += 1) {
    const mean = (first[j] as number) / correction1;
    const variance = (second[j] as number) / correction2;
    next[j] = (next[j] as number) - (rate * mean) / (Math.sqrt(variance) + EPSILON);
  }
  return { weights: next, state: { kind: 'adam', step, first, second } };
}
