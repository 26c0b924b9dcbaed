import { computeAuc } from '../../participant/data/compute-auc.js';
import { batchSchedule } from '../../protocols/vertical/logistic/batch-schedule.js';
import { checkFeatureGrid } from '../../protocols/vertical/logistic/check-feature-grid.js';
import { bankForwardPart, forwardPart, hostForwardPart, sumParts } from '../../protocols/vertical/logistic/forward-part.js';
import { gradientFromResidual } from '../../protocols/vertical/logistic/gradient-from-residual.js';
import { applyGradient, initialOptimizerState, type OptimizerState } from '../../protocols/vertical/logistic/local-optimizer.js';
import { logisticLoss } from '../../protocols/vertical/logistic/logistic-loss.js';
import { splitTrainValidation, type TrainValidationSplit } from '../../protocols/vertical/logistic/split-train-validation.js';
import type { VerticalParty } from '../../protocols/vertical/logistic/vertical-party.js';
import { type VerticalTrainingSettingsInput, verticalTrainingSettingsSchema } from '../../protocols/vertical/logistic/vertical-training-settings.js';

export interface VerticalEpochReport {
  epoch: number;
  /** Mean exact logistic loss on the training rows after the epoch (no L2 term). */
  trainingLoss: number;
  validationLoss: number;
  validationAuc: number;
}

/** One batch as the encrypted path sees it: the rows and each party's decrypted sums ⟨d, x_j⟩. */
export interface VerticalBatchTrace {
  epoch: number;
  batch: number;
  rows: Int32Array;
  residual: Float64Array;
  sums: Float64Array[];
}

export interface VerticalTrainingResult {
  parties: { id: string; weights: Float64Array; optimizerState: OptimizerState }[];
  epochs: VerticalEpochReport[];
  batchCount: number;
  split: TrainValidationSplit;
}

/** Σ_i X_i[rows]·w_i: the full linear score (what the validation round decrypts to the bank). */
export function verticalScores(parties: readonly VerticalParty[], weights: readonly Float64Array[], rows: Int32Array): Float64Array {
  return sumParts(parties.map((party, index) => forwardPart(party.columns, weights[index] as Float64Array, rows)));
}

/**
 * The whole vertical recipe in one process, in plaintext: the reference the encrypted path must match
 * batch by batch, and the "custody none" comparison. parties[0] holds the labels (the bank). Weights
 * start at zero; per batch every party uploads its forward part, d is their sum, every party takes
 * ⟨d, x_j⟩ for its own features and steps its own block with its own optimizer state.
 */
export function trainVerticalPlaintext(
  parties: readonly VerticalParty[],
  labels: Uint8Array,
  settingsInput: VerticalTrainingSettingsInput,
  options: { onBatch?: (trace: VerticalBatchTrace) => void } = {},
): VerticalTrainingResult {
  const settings = verticalTrainingSettingsSchema.parse(settingsInput);
  if (parties.length === 0) throw new RangeError('trainVerticalPlaintext: no parties');
  const rowCount = labels.length;
  for (const party of parties) {
    for (const [feature, column] of party.columns.entries()) {
      if (column.length !== rowCount) {
        throw new RangeError(`trainVerticalPlaintext: party ${party.id} feature ${feature} has ${column.length} rows, labels have ${rowCount}`);
      }
    }
    checkFeatureGrid(party.id, party.columns, settings.featureScaleBits, settings.clip, party.names);
  }
  const split = splitTrainValidation(rowCount, settings.validationFraction, settings.seed);
  const weights: Float64Array[] = parties.map((party) => new Float64Array(party.columns.length));
  const states = parties.map((party) => initialOptimizerState(settings.optimizer, party.columns.length));
  const pick = (rows: Int32Array): Uint8Array => Uint8Array.from(rows, (row) => labels[row] as number);
  const trainLabels = pick(split.train);
  const validationLabels = pick(split.validation);
  const epochs: VerticalEpochReport[] = [];
  let batchCount = 0;

  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    const batches = batchSchedule(split.train, settings.batchSize, epoch, settings.seed);
    for (const [batch, rows] of batches.entries()) {
      const parts = parties.map((party, index) =>
        index === 0
          ? bankForwardPart(party.columns, weights[index] as Float64Array, labels, rows)
          : hostForwardPart(party.columns, weights[index] as Float64Array, rows),
      );
      const residual = sumParts(parts);
      const sums = parties.map((party) => gradientFromResidual(party.columns, residual, rows));
      options.onBatch?.({ epoch, batch, rows, residual, sums });
      for (const [index, party] of parties.entries()) {
        const step = applyGradient(weights[index] as Float64Array, states[index] as OptimizerState, sums[index] as Float64Array, rows.length, {
          optimizer: settings.optimizer,
          learningRate: settings.learningRate,
          l2: settings.l2,
          interceptIndex: party.interceptIndex,
        });
        weights[index] = step.weights;
        states[index] = step.state;
      }
      batchCount += 1;
    }
    const validationScores = verticalScores(parties, weights, split.validation);
    epochs.push({
      epoch,
      trainingLoss: logisticLoss(verticalScores(parties, weights, split.train), trainLabels),
      validationLoss: logisticLoss(validationScores, validationLabels),
      validationAuc: split.validation.length > 0 ? computeAuc(validationScores, validationLabels) : Number.NaN,
    });
  }
  return {
    parties: parties.map((party, index) => ({ id: party.id, weights: weights[index] as Float64Array, optimizerState: states[index] as OptimizerState })),
    epochs,
    batchCount,
    split,
  };
}
