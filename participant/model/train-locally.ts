import * as tf from '@tensorflow/tfjs';
import { RoundFailedError } from '../../protocols/errors.js';
import type { TrainingSettings } from '../../protocols/model/training-settings.js';
import { flattenWeights } from './flatten-weights.js';
import { gatherRows } from '../../protocols/model/gather-rows.js';
import { mixSeed } from '../../protocols/model/mix-seed.js';
import { shuffledRowOrder } from '../../protocols/model/shuffled-row-order.js';
import { setFlatWeights } from './unflatten-weights.js';

export interface LocalTrainingInput {
  model: tf.Sequential;
  globalWeights: Float32Array;
  /** Row-major, rowCount x width. */
  features: Float32Array;
  /** One 0/1 label per row. */
  labels: Float32Array;
  rowCount: number;
  width: number;
  settings: Pick<TrainingSettings, 'localEpochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'seed' | 'fedProx'>;
  round: number;
  /** Called after each local epoch with its mean loss (for progress displays). */
  onEpochEnd?: (epoch: number, loss: number) => void;
}

export interface LocalTrainingResult {
  weights: Float32Array;
  /** Mean binary cross-entropy over the batches of the last epoch, weighted by batch size. */
  meanLoss: number;
  sampleCount: number;
}

/**
 * One participant's local training for a round: start from the global weights, run localEpochs of
 * mini-batch training, return the new weights. Row order is shuffled by HEFL's own seeded
 * permutation per (seed, round, epoch) instead of fit's shuffle, which draws from Math.random.
 * Clipping is not applied here; it belongs to the update delta (see clipUpdate). With `fedProx.mu`
 * above 0 the loss gains FedProx's proximal term μ/2·‖w − w_global‖² (so does the reported loss).
 */
export function trainLocally(input: LocalTrainingInput): Promise<LocalTrainingResult> {
  // tfjs keeps training state in its process-global engine: two fits interleaving at their awaits
  // (two participants embedded in one process) change each other's results. One fit at a time.
  const run = trainingQueue.then(() => trainExclusively(input));
  trainingQueue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let trainingQueue: Promise<void> = Promise.resolve();

async function trainExclusively(input: LocalTrainingInput): Promise<LocalTrainingResult> {
  const { model, globalWeights, features, labels, rowCount, width, settings, round } = input;
  checkShapes(model, features, labels, rowCount, width);
  setFlatWeights(model, globalWeights);
  // A fresh optimizer per round: Adam's moments from a previous round describe a different model.
  const optimizer =
    settings.optimizer === 'sgd' ? tf.train.sgd(settings.learningRate) : tf.train.adam(settings.learningRate);
  const mu = settings.fedProx?.mu ?? 0;
  // The global weights as constants, read by the proximal term inside fit's gradient tape.
  const anchors = mu > 0 ? model.trainableWeights.map((weight) => weight.read().clone()) : [];
  try {
    model.compile({ optimizer, loss: mu > 0 ? proximalLoss(model, anchors, mu) : 'binaryCrossentropy' });
    let meanLoss = Number.NaN;
    for (let epoch = 0; epoch < settings.localEpochs; epoch++) {
      const order = shuffledRowOrder(rowCount, mixSeed(settings.seed, round, epoch));
      meanLoss = await fitOneEpoch(model, gatherRows(features, width, order), gatherRows(labels, 1, order), rowCount, width, settings.batchSize);
      input.onEpochEnd?.(epoch + 1, meanLoss);
    }
    const weights = flattenWeights(model);
    if (!Number.isFinite(meanLoss) || !weights.every(Number.isFinite)) {
      throw new RoundFailedError(
        `local training diverged in round ${round} (loss ${meanLoss}); lower the learning rate (now ${settings.learningRate})`,
      );
    }
    return { weights, meanLoss, sampleCount: rowCount };
  } finally {
    optimizer.dispose();
    for (const anchor of anchors) anchor.dispose();
  }
}

/** Binary cross-entropy per row plus μ/2·Σ‖w − w_global‖² over the trainable weights (FedProx). */
function proximalLoss(model: tf.Sequential, anchors: readonly tf.Tensor[], mu: number): (labels: tf.Tensor, predictions: tf.Tensor) => tf.Tensor {
  return (labels, predictions) =>
    tf.tidy(() => {
      const distances = model.trainableWeights.map((weight, index) => tf.sum(tf.square(tf.sub(weight.read(), anchors[index] as tf.Tensor))));
      return tf.add(tf.metrics.binaryCrossentropy(labels, predictions), tf.mul(mu / 2, tf.addN(distances)));
    });
}

async function fitOneEpoch(
  model: tf.Sequential,
  features: Float32Array,
  labels: Float32Array,
  rowCount: number,
  width: number,
  batchSize: number,
): Promise<number> {
  const xs = tf.tensor2d(features, [rowCount, width]);
  const ys = tf.tensor2d(labels, [rowCount, 1]);
  try {
    const history = await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    const loss = history.history.loss?.at(-1);
    if (typeof loss !== 'number') throw new Error('model.fit reported no training loss');
    return loss;
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

function checkShapes(model: tf.Sequential, features: Float32Array, labels: Float32Array, rowCount: number, width: number): void {
  if (!Number.isInteger(rowCount) || rowCount < 1) throw new Error(`local training needs at least one row, got ${rowCount}`);
  const modelWidth = model.inputs[0]?.shape[1];
  if (modelWidth !== width) throw new Error(`features are ${width} wide; the model expects ${modelWidth}`);
  if (features.length !== rowCount * width) {
    throw new Error(`features hold ${features.length} values; ${rowCount} rows x ${width} columns need ${rowCount * width}`);
  }
  if (labels.length !== rowCount) throw new Error(`labels hold ${labels.length} values; expected one per row (${rowCount})`);
}
