import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../protocols/errors.js';
import { parseCsvText } from '../data/read-csv-table.js';
import { buildModel } from '../model/build-model.js';
import { initializeTfBackend } from '../model/initialize-tf-backend.js';
import { setFlatWeights } from '../model/unflatten-weights.js';
import type { Preprocessing } from './preprocessing-file.js';
import { scoreRows } from './score-rows.js';

const preprocessing: Preprocessing = {
  format: 'hefl-preprocessing/1',
  jobId: 'score',
  features: { numeric: ['age'], categorical: [{ name: 'tier', categories: ['1', '2'] }], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: [] },
  featureNames: ['age', 'tier=1', 'tier=2'],
  numericMeans: [40],
  numericStds: [10],
};

beforeAll(async () => {
  await initializeTfBackend();
});

describe('scoreRows', () => {
  it('scores sigmoid(w·standardized + b) per row, with the ids, matching categories by value as training does', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 3);
    try {
      setFlatWeights(model, Float32Array.from([2, 1, -1, 0.5]));
      const table = parseCsvText('id,age,tier\na,50,1\nb,30,2.0\n', 'rows.csv');
      const { scores, ids } = scoreRows(model, preprocessing, table, 'id');
      const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
      expect(ids).toEqual(['a', 'b']);
      expect(scores[0]).toBeCloseTo(sigmoid(2 * 1 + 1 + 0.5), 6);
      expect(scores[1]).toBeCloseTo(sigmoid(2 * -1 - 1 + 0.5), 6);
    } finally {
      model.dispose();
    }
  });

  it('names a missing id column', () => {
    const model = buildModel({ kind: 'logistic-regression' }, 3);
    try {
      expect(() => scoreRows(model, preprocessing, parseCsvText('age,tier\n50,1\n', 'rows.csv'), 'id')).toThrow(DatasetError);
      expect(() => scoreRows(model, preprocessing, parseCsvText('age,tier\n50,1\n', 'rows.csv'), 'id')).toThrow('rows.csv: line 1: id column "id" is missing from the header');
    } finally {
      model.dispose();
    }
  });
});
