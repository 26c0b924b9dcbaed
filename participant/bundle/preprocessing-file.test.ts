import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../protocols/errors.js';
import { parsePreprocessing, standardizationOf } from './preprocessing-file.js';

const valid = {
  format: 'hefl-preprocessing/1',
  jobId: 'j',
  features: { numeric: ['age'], categorical: [{ name: 'tier', categories: [1, 2] }], label: { column: 'y', positive: 'yes', negative: 'no' } },
  featureNames: ['age', 'tier=1', 'tier=2'],
  numericMeans: [40],
  numericStds: [0],
};

describe('parsePreprocessing', () => {
  it('reads what writeModelBundle writes', () => {
    const preprocessing = parsePreprocessing(JSON.stringify(valid), 'p.json');
    expect(preprocessing.features.categorical[0]?.categories).toEqual(['1', '2']);
    expect(standardizationOf(preprocessing)).toEqual({ means: Float64Array.from([40]), stds: Float64Array.from([0]) });
  });

  it('names the file and the first wrong field', () => {
    expect(() => parsePreprocessing('{', 'p.json')).toThrow(ConfigError);
    expect(() => parsePreprocessing('{', 'p.json')).toThrow(/^p\.json: not JSON/);
    expect(() => parsePreprocessing(JSON.stringify({ ...valid, numericStds: [-1] }), 'p.json')).toThrow(/^p\.json: not a HEFL preprocessing file: numericStds\.0/);
    expect(() => parsePreprocessing(JSON.stringify({ ...valid, numericMeans: [] }), 'p.json')).toThrow(/one value per numeric feature/);
  });
});
