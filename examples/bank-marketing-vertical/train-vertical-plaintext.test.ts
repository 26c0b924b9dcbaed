import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../protocols/data/seeded-random.js';
import { bankForwardPart, forwardPart, hostForwardPart, sumParts } from '../../protocols/vertical/logistic/forward-part.js';
import { gradientFromResidual } from '../../protocols/vertical/logistic/gradient-from-residual.js';
import { trainVerticalPlaintext, type VerticalBatchTrace } from './train-vertical-plaintext.js';
import type { VerticalParty } from '../../protocols/vertical/logistic/vertical-party.js';
import { verticalTrainingSettingsSchema } from '../../protocols/vertical/logistic/vertical-training-settings.js';

// Synthetic vertical data: six features on the 2^-8 grid, a logistic truth spread over all of them.
const random = createSeededRandom(3);
const rowCount = 3_000;
const features = Array.from({ length: 6 }, () => Float64Array.from({ length: rowCount }, () => Math.round((random() * 4 - 2) * 256) / 256));
const truth = [1.2, -0.8, 0.6, 1, -1.1, 0.4];
const labels = Uint8Array.from({ length: rowCount }, (_, row) => {
  const u = truth.reduce((sum, w, j) => sum + w * ((features[j] as Float64Array)[row] as number), -1.5);
  return random() < 1 / (1 + Math.exp(-u)) ? 1 : 0;
});
const ones = new Float64Array(rowCount).fill(1);
const threeParties: VerticalParty[] = [
  { id: 'bank', columns: [features[0] as Float64Array, features[1] as Float64Array, ones], interceptIndex: 2 },
  { id: 'ecommerce', columns: [features[2] as Float64Array, features[3] as Float64Array] },
  { id: 'government', columns: [features[4] as Float64Array, features[5] as Float64Array] },
];
const settings = { epochs: 4, batchSize: 500, learningRate: 0.05, seed: 'test' };

describe('trainVerticalPlaintext', () => {
  it('learns: validation AUC well above chance, loss falling', () => {
    const result = trainVerticalPlaintext(threeParties, labels, settings);
    expect(result.batchCount).toBe(4 * Math.ceil(2_400 / 500));
    expect(result.epochs.at(-1)?.validationAuc).toBeGreaterThan(0.8);
    expect(result.epochs.at(-1)?.trainingLoss).toBeLessThan(result.epochs[0]?.trainingLoss as number);
    expect(result.parties.map((party) => party.weights.length)).toEqual([3, 2, 2]);
  });

  it('is deterministic, and each traced batch is what the parties would compute from the uploads', () => {
    const traces: VerticalBatchTrace[] = [];
    const result = trainVerticalPlaintext(threeParties, labels, settings, { onBatch: (trace) => traces.push(trace) });
    expect(trainVerticalPlaintext(threeParties, labels, settings).parties).toEqual(result.parties);
    expect(traces).toHaveLength(result.batchCount);
    // Replays batch 0 from zero weights: the residual is the sum of the three uploads.
    const first = traces[0] as VerticalBatchTrace;
    const zero = (party: VerticalParty): Float64Array => new Float64Array(party.columns.length);
    const [bank, ecommerce, government] = threeParties as [VerticalParty, VerticalParty, VerticalParty];
    const residual = sumParts([
      bankForwardPart(bank.columns, zero(bank), labels, first.rows),
      hostForwardPart(ecommerce.columns, zero(ecommerce), first.rows),
      hostForwardPart(government.columns, zero(government), first.rows),
    ]);
    expect(first.residual).toEqual(residual);
    expect(first.sums).toEqual(threeParties.map((party) => gradientFromResidual(party.columns, residual, first.rows)));
  });

  it('gives the same model however the columns are split among parties (local optimizers are coordinate-wise)', () => {
    const oneParty: VerticalParty[] = [{ id: 'all', columns: threeParties.flatMap((party) => party.columns), interceptIndex: 2 }];
    for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
      const split = trainVerticalPlaintext(threeParties, labels, { ...settings, optimizer });
      const pooled = trainVerticalPlaintext(oneParty, labels, { ...settings, optimizer });
      const joined = split.parties.flatMap((party) => [...party.weights]);
      expect(joined).toEqual([...(pooled.parties[0]?.weights ?? [])].map((value) => expect.closeTo(value, 10)));
    }
  });

  it('scores are the sum of the parties\' forward parts', () => {
    const result = trainVerticalPlaintext(threeParties, labels, settings);
    const rows = result.split.validation;
    const pooled = forwardPart(threeParties.flatMap((party) => party.columns), result.parties.flatMap((party) => [...party.weights]), rows);
    const summed = sumParts(threeParties.map((party, index) => forwardPart(party.columns, result.parties[index]?.weights ?? [], rows)));
    summed.forEach((value, k) => expect(value).toBeCloseTo(pooled[k] as number, 10));
  });

  it('refuses features off the 2^-bits grid or beyond the clip, naming party, feature and row', () => {
    const off = Float64Array.from(features[0] as Float64Array);
    off[7] = 0.001;
    expect(() => trainVerticalPlaintext([{ id: 'bank', columns: [off], names: ['age'] }], labels, settings)).toThrow('party bank, feature "age", row 7');
    const big = new Float64Array(rowCount).fill(9);
    expect(() => trainVerticalPlaintext([{ id: 'bank', columns: [big] }], labels, settings)).toThrow('within ±8');
  });
});

describe('verticalTrainingSettingsSchema', () => {
  it('fills defaults and is strict', () => {
    expect(verticalTrainingSettingsSchema.parse({})).toMatchObject({ epochs: 15, batchSize: 8_192, optimizer: 'adam', featureScaleBits: 8, clip: 8 });
    expect(() => verticalTrainingSettingsSchema.parse({ epoch: 3 })).toThrow();
    expect(() => verticalTrainingSettingsSchema.parse({ batchSize: 8_193 })).toThrow();
  });
});
