import { describe, expect, it } from 'vitest';
import { featureSchemaSchema } from '../../protocols/data/feature-schema.js';
import { categoryMatcher } from './match-category.js';
import { parseDataset } from './parse-dataset.js';
import { parseCsvText } from './read-csv-table.js';

describe('categoryMatcher', () => {
  it('matches by spelling', () => {
    const match = categoryMatcher(['cellular', 'telephone']);
    expect(match('telephone')).toBe(1);
    expect(match('Telephone')).toBeUndefined();
  });

  it('matches numbers by value: 2, 2.0 and 2.00 are the category 2; 2.5 is not', () => {
    const match = categoryMatcher(['1', '2', '3']);
    expect(match('2')).toBe(1);
    expect(match('2.0')).toBe(1);
    expect(match('2.00')).toBe(1);
    expect(match(' 3.0 ')).toBe(2);
    expect(match('2.5')).toBeUndefined();
    expect(match('two')).toBeUndefined();
    expect(match('')).toBeUndefined();
  });

  it('matches a declared 2.0 with a written 2, and prefers the exact spelling', () => {
    expect(categoryMatcher(['1.0', '2.0'])('2')).toBe(1);
    expect(categoryMatcher(['2', '2.0'])('2.0')).toBe(1);
    expect(categoryMatcher(['2', '2.0'])('2.00')).toBe(0);
  });

  it('does not match a non-numeric category numerically', () => {
    expect(categoryMatcher(['a', '1'])('1.0')).toBe(1);
    expect(categoryMatcher(['a', 'b'])('1')).toBeUndefined();
  });
});

describe('a job with numeric categories and a pandas-style CSV', () => {
  it('parses 2.0 as the category 2 and still rejects 2.5', () => {
    const schema = featureSchemaSchema.parse({ categorical: [{ name: 'tier', categories: [1, 2, 3] }], label: { column: 'y', positive: 'yes', negative: 'no' } });
    const dataset = parseDataset(parseCsvText('tier,y\n2.0,yes\n3,no\n1.00,no\n', 'a.csv'), schema);
    expect(Array.from(dataset.categoricalIndex[0] ?? [])).toEqual([1, 2, 0]);
    expect(() => parseDataset(parseCsvText('tier,y\n2.5,yes\n', 'b.csv'), schema)).toThrow('b.csv: line 2, column "tier": unknown category "2.5"; declared: "1", "2", "3"');
  });
});
