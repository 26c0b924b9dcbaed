import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { resolveSchemaColumns } from './resolve-schema-columns.js';

const schema: FeatureSchema = {
  numeric: ['age', 'euribor3m'],
  categorical: [{ name: 'job', categories: ['admin.', 'student'] }],
  label: { column: 'y', positive: 'yes', negative: 'no' },
  ignored: ['duration'],
};

describe('resolveSchemaColumns', () => {
  it('maps schema columns to header positions regardless of header order', () => {
    expect(resolveSchemaColumns(['y', 'duration', 'job', 'euribor3m', 'age'], schema, 'a.csv')).toEqual({
      numeric: [4, 3],
      categorical: [2],
      label: 0,
    });
  });

  it('names a missing column and suggests a near header name', () => {
    const header = ['age', 'euribor_3m', 'job', 'y', 'duration'];
    expect(() => resolveSchemaColumns(header, schema, 'a.csv')).toThrow(DatasetError);
    expect(() => resolveSchemaColumns(header, schema, 'a.csv')).toThrow(
      'a.csv: line 1: numeric column "euribor3m" is missing from the header; did you mean "euribor_3m"?',
    );
  });

  it('gives no suggestion when no header name is close', () => {
    expect(() => resolveSchemaColumns(['age', 'euribor3m', 'job', 'duration'], schema, 'a.csv')).toThrow(
      /label column "y" is missing from the header$/,
    );
  });

  it('rejects a header column the schema neither uses nor ignores, telling how to fix it', () => {
    expect(() => resolveSchemaColumns(['age', 'euribor3m', 'job', 'y', 'duration', 'iban'], schema, 'a.csv')).toThrow(
      'a.csv: line 1: column "iban" is not in the job\'s feature schema; add it to features.ignored to train without it',
    );
  });

  it('tolerates an ignored column being absent, and rejects duplicate header names', () => {
    expect(() => resolveSchemaColumns(['age', 'euribor3m', 'job', 'y'], schema, 'a.csv')).not.toThrow();
    expect(() => resolveSchemaColumns(['age', 'age', 'euribor3m', 'job', 'y'], schema, 'a.csv')).toThrow(
      'a.csv: line 1: column "age" appears twice in the header',
    );
  });
});
