import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { verticalTrainingSettingsSchema } from '../../protocols/vertical/logistic/vertical-training-settings.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../bank-marketing/bank-marketing-data.js';
import { splitVerticalParties } from './split-vertical-parties.js';
import { prepareVerticalData, type VerticalBaselines, verticalBaselines } from './vertical-baselines.js';

const title = bankMarketingDataAvailable
  ? 'vertical baselines on bank-additional-full.csv'
  : `vertical baselines on bank-additional-full.csv (SKIPPED: ${bankMarketingDataPath} is absent)`;

describe.skipIf(!bankMarketingDataAvailable)(title, () => {
  // The default settings are the measured recipe: 15 epochs × 3 batches of ≤ 8,192 rows, Adam 0.025.
  const settings = verticalTrainingSettingsSchema.parse({});
  let result: VerticalBaselines;
  beforeAll(async () => {
    const { tables } = splitVerticalParties(await readCsvTable(bankMarketingDataPath), { seed: 42 });
    result = verticalBaselines(prepareVerticalData(tables, settings), settings);
  });

  it('trains on the ~70% 3-way intersection with at most ~60 batches', () => {
    expect(result.rows / 41_188).toBeGreaterThan(0.6);
    expect(result.rows / 41_188).toBeLessThan(0.8);
    expect(result.validationRows).toBe(Math.round(result.rows * 0.2));
    expect(result.taylor.batchCount).toBeLessThanOrEqual(60);
  });

  it('the bank alone is weak; together the Taylor recipe reaches 0.78 and exact LR − 0.01', () => {
    expect(result.bankOnlyAuc).toBeGreaterThan(0.6);
    expect(result.bankOnlyAuc).toBeLessThan(0.7);
    expect(result.centralizedAuc).toBeGreaterThan(result.bankOnlyAuc + 0.1);
    expect(result.taylorAuc).toBeGreaterThanOrEqual(0.78);
    expect(result.taylorAuc).toBeGreaterThanOrEqual(result.centralizedAuc - 0.01);
  });
});
