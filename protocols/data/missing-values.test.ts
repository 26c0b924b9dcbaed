import { describe, expect, it } from 'vitest';
import { featureSchemaSchema } from './feature-schema.js';
import { featureNames } from './feature-names.js';
import { featureWidth } from './feature-width.js';
import { hasMissingCategory, indicatorColumns, meanFilledColumns } from './missing-values.js';

const base = {
  numeric: ['limit', 'bill', 'age'],
  categorical: [
    { name: 'education', categories: [1, 2, 3] },
    { name: 'marriage', categories: ['single', 'married'] },
  ],
  label: { column: 'default', positive: 1, negative: 0 },
};

function issuesOf(input: unknown): string[] {
  const result = featureSchemaSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('features.missing', () => {
  it('lays out indicators after the numeric columns and the (missing) slot after a column\'s categories', () => {
    const schema = featureSchemaSchema.parse({
      ...base,
      missing: {
        markers: ['', 'NA'],
        columns: {
          bill: { fill: 'mean', indicator: true },
          age: { fill: 40 },
          education: { fill: 'missing-category' },
          marriage: { fill: 'single', indicator: true },
        },
      },
    });
    expect(schema.label).toMatchObject({ positive: '1', negative: '0' });
    expect(meanFilledColumns(schema)).toEqual([1]);
    expect(indicatorColumns(schema)).toEqual(['bill', 'marriage']);
    expect(hasMissingCategory(schema, 'education')).toBe(true);
    expect(featureNames(schema)).toEqual([
      'limit', 'bill', 'age',
      'bill (missing)', 'marriage (missing)',
      'education=1', 'education=2', 'education=3', 'education=(missing)',
      'marriage=single', 'marriage=married',
    ]);
    expect(featureWidth(schema)).toBe(11);
  });

  it('refuses policies that do not fit their column, naming the column and what to write instead', () => {
    const problems = issuesOf({
      ...base,
      missing: {
        columns: {
          limit: { fill: 'missing-category' },
          bill: { fill: 'zero' },
          age: { fill: 1e16 },
          education: { fill: 'mean' },
          marriage: { fill: 'divorced' },
          default: { fill: 0 },
          income: { fill: 'mean' },
        },
      },
    });
    expect(problems).toEqual(expect.arrayContaining([
      'missing.columns.limit.fill: "limit" is numeric: fill with "mean" or a number',
      'missing.columns.bill.fill: "bill" is numeric: fill with "mean" or a number, not "zero"',
      'missing.columns.age.fill: a fill value must be finite with |x| ≤ 1e15, like every numeric cell',
      'missing.columns.education.fill: "education" is categorical: fill with "missing-category" or one of its declared categories',
      'missing.columns.marriage.fill: "divorced" is not a declared category of "marriage" ("single", "married")',
      'missing.columns.default: the label cannot be filled: rows without a label are unusable for training',
      'missing.columns.income: "income" is not a declared numeric or categorical feature',
    ]));
    expect(problems).toHaveLength(7);
    expect(issuesOf({ ...base, missing: { columns: { education: { fill: 'missing-category', indicator: true } } } })).toEqual([
      'missing.columns.education.indicator: the (missing) slot of "education" already is the indicator; drop indicator: true',
    ]);
    expect(issuesOf({ ...base, missing: { columns: { bill: { fill: 'mean', indcator: true } } } })[0]).toMatch(/indcator/);
  });

  it('accepts a declared category written as a number and refuses labels that are one value twice', () => {
    expect(issuesOf({ ...base, missing: { columns: { education: { fill: 2 } } } })).toEqual([]);
    expect(issuesOf({ ...base, label: { column: 'default', positive: 1, negative: '1.0' } })).toEqual(['label.negative: must differ from label.positive']);
  });
});
