import * as tf from '@tensorflow/tfjs';
import { GridGaussianNoise, poissonSample } from '../../protocols/privacy/grid-gaussian-noise.js';
import { type RandomSource, RandomWords } from '../../protocols/privacy/random-source.js';
import { computeEpsilon, type RdpAccountant } from '../../protocols/privacy/rdp-accountant.js';
import type { TrainingSettings } from '../../protocols/model/training-settings.js';
import { flattenWeights } from './flatten-weights.js';
import { clipAndSum, perExampleGradients } from './per-example-gradients.js';
import { setFlatWeights } from './unflatten-weights.js';

/**
 * Record-level DP-SGD (Abadi et al., CCS 2016) for one participant's local training, as the RDP
 * accountant assumes it (design note §3.4):
 *
 * - steps = ⌈localEpochs · rows / batchSize⌉, each on a Poisson batch: every row joins
 *   independently with q = batchSize/rows, drawn from the CSPRNG (shuffle-and-partition batches
 *   would over-state privacy: Chua et al., ICML 2024);
 * - per-example gradients (per-example-gradients.ts), each clipped to L2 norm C;
 * - the clipped sum plus N(0, z²C²) noise, drawn exactly on a fixed-point grid (grid-gaussian-noise.ts),
 *   divided by the *expected* batch size q·rows = batchSize, so the actual batch size stays hidden;
 * - then the optimizer step. SGD and Adam are both allowed: the optimizer only sees the noised
 *   gradient, so anything it does with it is post-processing and spends no privacy.
 *
 * With noiseMultiplier 0 there is no noise and no grid (ε = ∞): plain Poisson-batch SGD with
 * clipping, which is what the tests compare against. Jobs use it through participant/local-trainer.ts.
 */
export interface DpSgdSettings {
  /** z: noise std is z·C per coordinate of the summed gradient. 0 disables noise (ε = ∞). */
  noiseMultiplier: number;
  /** C: per-example L2 clipping norm. Infinity only together with noiseMultiplier 0. */
  clipNorm: number;
  /** δ for the reported ε. */
  delta: number;
  /** Fixed-point grid 2^-gridBits·C for the noise (default 20). */
  gridBits?: number;
}

export interface DpSgdInput {
  model: tf.Sequential;
  globalWeights: Float32Array;
  /** Row-major, rowCount x width. */
  features: Float32Array;
  /** One 0/1 label per row. */
  labels: Float32Array;
  rowCount: number;
  width: number;
  settings: Pick<TrainingSettings, 'localEpochs' | 'batchSize' | 'learningRate' | 'optimizer'>;
  privacy: DpSgdSettings;
  /** Also records the run's steps here (a participant's accountant across rounds). */
  accountant?: RdpAccountant;
  /** Randomness for sampling and noise; node:crypto unless a test passes a seeded source. */
  source?: RandomSource;
}

export interface DpSgdResult {
  weights: Float32Array;
  sampleCount: number;
  steps: number;
  sampleRate: number;
  /** ε of this run alone at `delta` (Balle et al. 2020 conversion, Opacus's default orders). */
  epsilon: number;
  delta: number;
  /** Rows actually used, summed over steps (local diagnostics only: never send it, it is not private). */
  rowsUsed: number;
}

export function trainDpSgd(input: DpSgdInput): DpSgdResult {
  const { model, globalWeights, features, labels, rowCount, width, settings, privacy } = input;
  const { noiseMultiplier, clipNorm, delta } = privacy;
  checkInput(input);
  const sampleRate = settings.batchSize / rowCount;
  const steps = Math.ceil((settings.localEpochs * rowCount) / settings.batchSize);
  setFlatWeights(model, globalWeights);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  if (variables.length !== model.weights.length) throw new Error('DP-SGD needs every model weight to be trainable');
  const parameterCount = globalWeights.length;
  const noise =
    noiseMultiplier > 0
      ? new GridGaussianNoise({ clipNorm, noiseMultiplier, dimension: parameterCount, ...(privacy.gridBits === undefined ? {} : { gridBits: privacy.gridBits }), ...(input.source ? { source: input.source } : {}) })
      : undefined;
  const sampling = new RandomWords(input.source);
  const optimizer = settings.optimizer === 'sgd' ? tf.train.sgd(settings.learningRate) : tf.train.adam(settings.learningRate);
  let rowsUsed = 0;
  try {
    for (let step = 0; step < steps; step += 1) {
      const rows = poissonSample(rowCount, sampleRate, sampling);
      rowsUsed += rows.length;
      const perExample = perExampleGradients(model, features, labels, width, rows);
      const gradient = noisyGradient(clipAndSum(perExample, noise ? noise.clipBeforeRounding : clipNorm), noise, settings.batchSize);
      applyFlatGradient(optimizer, variables, gradient);
    }
    const weights = flattenWeights(model);
    if (!weights.every(Number.isFinite)) throw new Error(`DP-SGD diverged; lower the learning rate (now ${settings.learningRate})`);
    const event = { noiseMultiplier, sampleRate };
    input.accountant?.step(event, steps);
    const epsilon = computeEpsilon({ ...event, steps, delta });
    return { weights, sampleCount: rowCount, steps, sampleRate, epsilon, delta, rowsUsed };
  } finally {
    optimizer.dispose();
  }
}

/** (clipped sum + noise) / expected batch size, in float64; the noise path never uses a float Gaussian. */
export function noisyGradient(clippedSum: Float64Array, noise: GridGaussianNoise | undefined, expectedBatchSize: number): Float64Array {
  const noisy = noise ? noise.toValues(noise.addNoiseInGridUnits(noise.roundToGrid(clippedSum))) : clippedSum;
  return noisy.map((value) => value / expectedBatchSize);
}

function applyFlatGradient(optimizer: tf.Optimizer, variables: readonly tf.Variable[], gradient: Float64Array): void {
  tf.tidy(() => {
    let offset = 0;
    const named = variables.map((variable) => {
      const tensor = tf.tensor(Float32Array.from(gradient.subarray(offset, offset + variable.size)), variable.shape, 'float32');
      offset += variable.size;
      return { name: variable.name, tensor };
    });
    optimizer.applyGradients(named);
  });
}

function checkInput({ model, globalWeights, features, labels, rowCount, width, settings, privacy }: DpSgdInput): void {
  if (!Number.isInteger(rowCount) || rowCount < 1) throw new Error(`DP-SGD needs at least one row, got ${rowCount}`);
  if (model.inputs[0]?.shape[1] !== width) throw new Error(`features are ${width} wide; the model expects ${model.inputs[0]?.shape[1]}`);
  if (features.length !== rowCount * width || labels.length !== rowCount) throw new Error(`features/labels do not hold ${rowCount} rows of width ${width}`);
  if (globalWeights.length !== model.countParams()) throw new Error(`global weights hold ${globalWeights.length} values; the model has ${model.countParams()}`);
  if (settings.batchSize > rowCount) throw new Error(`batch size ${settings.batchSize} exceeds the ${rowCount} rows (sampling rate above 1)`);
  const { noiseMultiplier, clipNorm, delta } = privacy;
  if (!(noiseMultiplier >= 0 && Number.isFinite(noiseMultiplier))) throw new RangeError(`noise multiplier must be >= 0, got ${noiseMultiplier}`);
  if (!(clipNorm > 0)) throw new RangeError(`clipping norm must be positive, got ${clipNorm}`);
  if (noiseMultiplier > 0 && !Number.isFinite(clipNorm)) throw new RangeError('an infinite clipping norm needs noise multiplier 0 (no privacy)');
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must lie in (0, 1), got ${delta}`);
}
