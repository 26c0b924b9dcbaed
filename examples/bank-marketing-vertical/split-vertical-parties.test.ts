import { beforeAll, describe, expect, it } from 'vitest';
import { type CsvTable, readCsvTable } from '../../participant/data/read-csv-table.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../bank-marketing/bank-marketing-data.js';
import { ID_COLUMN, splitVerticalParties, VERTICAL_PARTY_COLUMNS, type VerticalPartySplit } from './split-vertical-parties.js';

const SOURCE_COLUMNS = [...new Set(Object.values(VERTICAL_PARTY_COLUMNS).flat()), 'duration'];

function checkSplit(table: CsvTable, split: VerticalPartySplit): void {
  const { bank, ecommerce, government } = split.tables;
  const n = table.rows.length;
  expect(Math.abs(bank.rows.length / n - 0.97)).toBeLessThanOrEqual(0.002);
  for (const partner of [ecommerce, government]) {
    expect(partner.rows.length / n).toBeGreaterThanOrEqual(0.8 - 0.002);
    expect(partner.rows.length / n).toBeLessThanOrEqual(0.9 + 0.002);
  }
  for (const [party, file] of Object.entries(split.tables)) {
    expect(file.header).toEqual([ID_COLUMN, ...VERTICAL_PARTY_COLUMNS[party as keyof typeof VERTICAL_PARTY_COLUMNS]]);
    expect(file.header.includes('duration')).toBe(false);
    const ids = file.rows.map((row) => row[0] as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^C\d{6,}$/.test(id))).toBe(true);
  }
  expect(bank.header.includes('y')).toBe(true);
  expect(ecommerce.header.includes('y') || government.header.includes('y')).toBe(false);
  // Each partner has customers the bank lacks; the 3-way intersection is about 70%.
  const bankIds = new Set(bank.rows.map((row) => row[0]));
  for (const partner of [ecommerce, government]) expect(partner.rows.some((row) => !bankIds.has(row[0]))).toBe(true);
  const governmentIds = new Set(government.rows.map((row) => row[0]));
  const common = ecommerce.rows.filter((row) => bankIds.has(row[0]) && governmentIds.has(row[0])).length;
  expect(common / n).toBeGreaterThan(0.6);
  expect(common / n).toBeLessThan(0.8);
}

describe('splitVerticalParties on a synthetic table', () => {
  const table: CsvTable = {
    source: 'synthetic',
    header: SOURCE_COLUMNS,
    rows: Array.from({ length: 5_000 }, (_, row) => SOURCE_COLUMNS.map((name) => `${name}:${row}`)),
  };
  const split = splitVerticalParties(table, { seed: 1 });

  it('gives each party its columns, unique ids, the label at the bank only, and the planned sizes', () => checkSplit(table, split));

  it('keeps each customer\'s cells together under one id across parties, and shuffles rows', () => {
    const rowOf = (cell: string): string => cell.slice(cell.indexOf(':') + 1);
    const byId = new Map<string, string>();
    for (const file of Object.values(split.tables)) {
      for (const row of file.rows) {
        const sources = new Set(row.slice(1).map(rowOf));
        expect(sources.size).toBe(1);
        const source = [...sources][0] as string;
        expect(byId.get(row[0] as string) ?? source).toBe(source);
        byId.set(row[0] as string, source);
      }
    }
    const order = split.tables.bank.rows.slice(0, 50).map((row) => Number(rowOf(row[1] as string)));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and differs for another', () => {
    expect(splitVerticalParties(table, { seed: 1 })).toEqual(split);
    expect(splitVerticalParties(table, { seed: 2 }).tables.bank.rows[0]).not.toEqual(split.tables.bank.rows[0]);
  });

  it('names a missing column', () => {
    expect(() => splitVerticalParties({ ...table, header: table.header.map((name) => (name === 'loan' ? 'loans' : name)) }, { seed: 1 })).toThrow(
      'column "loan" is missing',
    );
  });
});

const title = bankMarketingDataAvailable
  ? 'splitVerticalParties on bank-additional-full.csv'
  : `splitVerticalParties on bank-additional-full.csv (SKIPPED: ${bankMarketingDataPath} is absent)`;

describe.skipIf(!bankMarketingDataAvailable)(title, () => {
  let table: CsvTable;
  beforeAll(async () => {
    table = await readCsvTable(bankMarketingDataPath);
  });

  it('splits the 41,188 customers into three files with the planned sizes and no label outside the bank', () => {
    expect(table.rows).toHaveLength(41_188);
    checkSplit(table, splitVerticalParties(table, { seed: 42 }));
  });
});
