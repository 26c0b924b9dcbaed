import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../protocols/errors.js';
import type { FeatureSchema } from '../../protocols/data/feature-schema.js';
import { parseDataset } from './parse-dataset.js';
import { parseCsvText } from './read-csv-table.js';

const schema: FeatureSchema = {
  numeric: ['age', 'euribor3m'],
  categorical: [
    { name: 'job', categories: ['admin.', 'student', 'retired'] },
    { name: 'contact', categories: ['cellular', 'telephone'] },
  ],
  label: { column: 'y', positive: 'yes', negative: 'no' },
  ignored: ['duration'],
};

const good = [
  '"age";"job";"contact";"duration";"euribor3m";"y"',
  '30;"student";"cellular";120;4.857;"yes"',
  '61;"retired";"telephone";15;-0.5;"no"',
  '42;"admin.";"cellular";300;1e-1;"no"',
].join('\n');

function withRow(row: string): string {
  return `${good}\n${row}\n`;
}

describe('parseDataset', () => {
  it('converts columns to typed arrays in schema order, whatever the header order', () => {
    const dataset = parseDataset(parseCsvText(good, 'bank.csv'), schema);
    expect(dataset.rowCount).toBe(3);
    expect(dataset.source).toBe('bank.csv');
    expect(Array.from(dataset.numeric[0] as Float64Array)).toEqual([30, 61, 42]);
    expect(Array.from(dataset.numeric[1] as Float64Array)).toEqual([4.857, -0.5, 0.1]);
    expect(Array.from(dataset.categoricalIndex[0] as Int32Array)).toEqual([1, 2, 0]);
    expect(Array.from(dataset.categoricalIndex[1] as Int32Array)).toEqual([0, 1, 0]);
    expect(Array.from(dataset.labels)).toEqual([1, 0, 0]);
  });

  it('names file, line and column of a non-numeric value', () => {
    const table = parseCsvText(withRow('abc;"student";"cellular";1;1.0;"no"'), 'bank.csv');
    expect(() => parseDataset(table, schema)).toThrow(DatasetError);
    expect(() => parseDataset(table, schema)).toThrow('bank.csv: line 5, column "age": "abc" is not a finite number');
  });

  it('refuses a value beyond the supported magnitude 1e15 at read time, naming file, line, column and the limit', () => {
    const table = parseCsvText(withRow('30;"student";"cellular";1;-2.5e15;"no"'), 'bank.csv');
    expect(() => parseDataset(table, schema)).toThrow(DatasetError);
    expect(() => parseDataset(table, schema)).toThrow(/^bank\.csv: line 5, column "euribor3m": "-2\.5e15" is beyond the supported magnitude \|x\| ≤ 1000000000000000 \(1e15\)/);
    // 1e15 itself and currency amounts of 1e12 are fine.
    expect(parseDataset(parseCsvText(withRow('1e15;"student";"cellular";1;999999999999.99;"no"'), 'bank.csv'), schema).rowCount).toBe(4);
  });

  it('rejects an empty numeric cell rather than reading it as 0', () => {
    const table = parseCsvText(withRow('30;"student";"cellular";1;;"no"'), 'bank.csv');
    expect(() => parseDataset(table, schema)).toThrow('bank.csv: line 5, column "euribor3m": "" is not a finite number');
  });

  it('names an unknown category and lists the declared ones', () => {
    const table = parseCsvText(withRow('30;"astronaut";"cellular";1;1.0;"no"'), 'bank.csv');
    expect(() => parseDataset(table, schema)).toThrow(
      'bank.csv: line 5, column "job": unknown category "astronaut"; declared: "admin.", "student", "retired"',
    );
  });

  it('names a label that is neither positive nor negative', () => {
    const table = parseCsvText(withRow('30;"student";"cellular";1;1.0;"maybe"'), 'bank.csv');
    expect(() => parseDataset(table, schema)).toThrow(
      'bank.csv: line 5, column "y": label "maybe" is neither the positive "yes" nor the negative "no"',
    );
  });

  it('reports the file line even after blank lines and multi-line cells', () => {
    const text = `"age";"job";"contact";"duration";"euribor3m";"y"\n\n30;"student";"cellular";"1\n2";1;"no"\n31;"pilot";"cellular";1;1;"no"\n`;
    expect(() => parseDataset(parseCsvText(text, 'b.csv'), schema)).toThrow(/^b\.csv: line 5, column "job"/);
  });

  it('rejects a header with no rows, and schema/header mismatches', () => {
    expect(() => parseDataset(parseCsvText('age;job;contact;euribor3m;y\n', 'e.csv'), schema)).toThrow(
      'e.csv: no data rows after the header',
    );
    expect(() => parseDataset(parseCsvText('age;jobs;contact;euribor3m;y\n1;a;b;1;no\n', 'e.csv'), schema)).toThrow(
      /column "job" is missing from the header; did you mean "jobs"\?/,
    );
  });

  it('checks cell counts of tables built in code, assuming one line per row', () => {
    const table = { source: 'split', header: ['age', 'job', 'contact', 'euribor3m', 'y'], rows: [['1', 'student', 'cellular', '1', 'no'], ['2']] };
    expect(() => parseDataset(table, schema)).toThrow('split: line 3: expected 5 cells, found 1');
  });

  describe('rows to score (purpose.scoring)', () => {
    const unlabeled = [
      'id;age;job;contact;duration;euribor3m',
      'c1;30;student;cellular;1;4.857',
      'c2;61;retired;telephone;2;-0.5',
    ].join('\n');

    it('accepts a file without the label column, and the id column named as pass-through', () => {
      const dataset = parseDataset(parseCsvText(unlabeled, 'new.csv'), schema, undefined, { scoring: true, passThrough: ['id'] });
      expect(dataset.rowCount).toBe(2);
      expect(Array.from(dataset.numeric[0] as Float64Array)).toEqual([30, 61]);
      expect(Array.from(dataset.labels)).toEqual([0, 0]);
    });

    it('does not read a label column that is there (empty cells are fine)', () => {
      const text = `${good}\n30;"student";"cellular";1;1.0;""\n`;
      expect(parseDataset(parseCsvText(text, 'new.csv'), schema, undefined, { scoring: true }).rowCount).toBe(4);
    });

    it('still validates every feature cell and refuses undeclared columns', () => {
      const badCell = `${unlabeled}\nc3;abc;student;cellular;1;1`;
      expect(() => parseDataset(parseCsvText(badCell, 'new.csv'), schema, undefined, { scoring: true, passThrough: ['id'] })).toThrow(
        'new.csv: line 4, column "age": "abc" is not a finite number',
      );
      expect(() => parseDataset(parseCsvText(unlabeled, 'new.csv'), schema, undefined, { scoring: true })).toThrow(/column "id" is not in the job's feature schema/);
    });

    it('leaves training strict: a missing label column is still an error without it', () => {
      expect(() => parseDataset(parseCsvText(unlabeled, 'train.csv'), schema, undefined, { passThrough: ['id'] })).toThrow(/label column "y" is missing from the header/);
    });
  });
});
