import { beforeAll, describe, expect, it } from 'vitest';
import { featureWidth } from '../../protocols/data/feature-width.js';
import { parseDataset } from '../../participant/data/parse-dataset.js';
import { type CsvTable, readCsvTable } from '../../participant/data/read-csv-table.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from './bank-marketing-data.js';
import { bankMarketingFeatures } from './bank-marketing-job.js';
import { splitInstitutions } from './split-institutions.js';

const positiveRate = (rows: string[][], labelColumn: number): number =>
  rows.filter((row) => row[labelColumn] === 'yes').length / rows.length;

describe('splitInstitutions on a small table', () => {
  const jobs = ['admin.', 'blue-collar', 'management', 'student', 'retired', 'technician', 'services', 'entrepreneur'];
  const table: CsvTable = {
    source: 'small',
    header: ['job', 'y'],
    rows: Array.from({ length: 400 }, (_, index) => [jobs[index % jobs.length] as string, index % 5 === 0 ? 'yes' : 'no']),
  };

  it('routes each training row by its job and keeps file order', () => {
    const { test, institutions } = splitInstitutions(table, { testFraction: 0.2, seed: 1 });
    expect(test).toHaveLength(80);
    const byId = Object.fromEntries(institutions.map((institution) => [institution.id, institution.rows]));
    expect(new Set(byId.government?.map((row) => row[0]))).toEqual(new Set(['admin.', 'student', 'retired', 'services']));
    expect(new Set(byId.ecommerce?.map((row) => row[0]))).toEqual(new Set(['blue-collar']));
    expect(new Set(byId.bank?.map((row) => row[0]))).toEqual(new Set(['management', 'technician', 'entrepreneur']));
    for (const { rows } of institutions) {
      const positions = rows.map((row) => table.rows.indexOf(row));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('is deterministic for a seed', () => {
    expect(splitInstitutions(table, { testFraction: 0.2, seed: 7 })).toEqual(splitInstitutions(table, { testFraction: 0.2, seed: 7 }));
  });

  it('names a missing job or label column', () => {
    expect(() => splitInstitutions({ ...table, header: ['occupation', 'y'] }, { testFraction: 0.2, seed: 1 })).toThrow(
      'small: line 1: column "job" is missing from the header',
    );
  });
});

const title = bankMarketingDataAvailable
  ? 'splitInstitutions on bank-additional-full.csv'
  : `splitInstitutions on bank-additional-full.csv (SKIPPED: ${bankMarketingDataPath} is absent)`;

describe.skipIf(!bankMarketingDataAvailable)(title, () => {
  let table: CsvTable;
  let split: ReturnType<typeof splitInstitutions>;
  let labelColumn = -1;
  beforeAll(async () => {
    table = await readCsvTable(bankMarketingDataPath);
    labelColumn = table.header.indexOf('y');
    split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
  });

  it('partitions the rows: every row in exactly one of test and the three institutions', () => {
    // Rows are the table's own arrays, so identity tells rows apart even where two rows are equal.
    const owner = new Map<string[], string>();
    const clashes: string[] = [];
    for (const [name, rows] of [['test', split.test] as const, ...split.institutions.map((i) => [i.id, i.rows] as const)]) {
      for (const row of rows) {
        const previous = owner.get(row);
        if (previous !== undefined) clashes.push(`${previous}/${name}`);
        owner.set(row, name);
      }
    }
    expect(clashes).toEqual([]);
    expect(owner.size).toBe(table.rows.length);
    expect(table.rows.every((row) => owner.has(row))).toBe(true);
    const trainRows = table.rows.length - split.test.length;
    expect(split.institutions.reduce((sum, institution) => sum + institution.rows.length, 0)).toBe(trainRows);
  });

  it('holds out 20% ± 0.5% with the overall positive rate', () => {
    expect(Math.abs(split.test.length / table.rows.length - 0.2)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(positiveRate(split.test, labelColumn) - positiveRate(table.rows, labelColumn))).toBeLessThan(0.001);
  });

  it('gives institutions clearly different positive rates, each with >= 15% of the training rows and both classes', () => {
    const trainRows = table.rows.length - split.test.length;
    const rates = split.institutions.map(({ rows }) => positiveRate(rows, labelColumn));
    for (const [index, { rows }] of split.institutions.entries()) {
      expect(rows.length / trainRows).toBeGreaterThanOrEqual(0.15);
      expect(rates[index]).toBeGreaterThan(0);
      expect(rates[index]).toBeLessThan(1);
    }
    for (let a = 0; a < rates.length; a += 1) {
      for (let b = a + 1; b < rates.length; b += 1) {
        expect(Math.abs((rates[a] as number) - (rates[b] as number))).toBeGreaterThanOrEqual(0.02);
      }
    }
    expect(new Set(split.institutions.map(({ rows }) => rows.length)).size).toBe(3);
    expect(split.institutions.every(({ rule }) => rule.length > 0)).toBe(true);
  });

  it('yields institution tables that parse with bankMarketingFeatures at width 62', () => {
    expect(featureWidth(bankMarketingFeatures)).toBe(62);
    for (const { id, rows } of [...split.institutions, { id: 'test', rows: split.test }]) {
      const dataset = parseDataset({ source: id, header: table.header, rows }, bankMarketingFeatures);
      expect(dataset.rowCount).toBe(rows.length);
    }
  });
});
