/**
 * Prints, on the 3-way intersection of the vertical split of UCI Bank Marketing: bank-only exact LR AUC,
 * centralized exact LR AUC and the plaintext Taylor recipe's validation AUC (same rows, split, batches).
 *   scripts/with-node-22.sh node --import tsx examples/bank-marketing-vertical/run-vertical-baselines.ts \
 *     [--data file] [--epochs n --batch-size n --learning-rate x --optimizer adam --l2 x] [--orders 3]
 */
import { parseArgs } from 'node:util';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { createSeededRandom, shuffleInPlace } from '../../protocols/data/seeded-random.js';
import { verticalTrainingSettingsSchema } from '../../protocols/vertical/logistic/vertical-training-settings.js';
import { bankMarketingDataPath } from '../bank-marketing/bank-marketing-data.js';
import { splitVerticalParties } from './split-vertical-parties.js';
import { prepareVerticalData, verticalBaselines } from './vertical-baselines.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: bankMarketingDataPath },
    'split-seed': { type: 'string', default: '42' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    optimizer: { type: 'string' },
    l2: { type: 'string' },
    seed: { type: 'string' },
    // Extra runs with the common rows in random orders (PSI's order is not known in advance).
    orders: { type: 'string', default: '0' },
  },
});
const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
const settings = verticalTrainingSettingsSchema.parse({
  ...(values.epochs === undefined ? {} : { epochs: number(values.epochs) }),
  ...(values['batch-size'] === undefined ? {} : { batchSize: number(values['batch-size']) }),
  ...(values['learning-rate'] === undefined ? {} : { learningRate: number(values['learning-rate']) }),
  ...(values.optimizer === undefined ? {} : { optimizer: values.optimizer }),
  ...(values.l2 === undefined ? {} : { l2: number(values.l2) }),
  ...(values.seed === undefined ? {} : { seed: values.seed }),
});

const started = performance.now();
const { tables, missing } = splitVerticalParties(await readCsvTable(values.data), { seed: Number(values['split-seed']) });
console.log(
  `parties: ${Object.entries(tables).map(([id, table]) => `${id} ${table.rows.length} rows (missing ${(missing[id as keyof typeof missing] * 100).toFixed(1)}%)`).join(', ')}`,
);
console.log(`settings: ${JSON.stringify(settings)}`);
const runs = [{ name: 'sorted by id', permute: undefined as ((ids: string[]) => Int32Array) | undefined }];
for (let index = 0; index < Number(values.orders); index += 1) {
  runs.push({
    name: `random order ${index + 1}`,
    permute: (ids: string[]) => {
      const order = Int32Array.from(ids.keys());
      shuffleInPlace(order, createSeededRandom(1000 + index));
      return order;
    },
  });
}
for (const run of runs) {
  const data = prepareVerticalData(tables, settings, run.permute);
  const result = verticalBaselines(data, settings);
  console.log(`\n${run.name}: ${result.rows} common rows (${result.trainRows} train, ${result.validationRows} validation)`);
  console.log(`  bank-only exact LR AUC   ${result.bankOnlyAuc.toFixed(4)}`);
  console.log(`  centralized exact LR AUC ${result.centralizedAuc.toFixed(4)}`);
  console.log(`  Taylor recipe AUC        ${result.taylorAuc.toFixed(4)}  (${result.taylor.batchCount} batches)`);
  console.log(`  per epoch: ${result.taylor.epochs.map((epoch) => `${epoch.validationAuc.toFixed(4)}/${epoch.trainingLoss.toFixed(4)}`).join(' ')}`);
}
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
