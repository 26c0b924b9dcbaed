import { DatasetError } from '../../protocols/errors.js';
import { createSeededRandom, shuffleInPlace } from '../../protocols/data/seeded-random.js';
import type { CsvTable } from '../../participant/data/read-csv-table.js';

export type VerticalPartyId = 'bank' | 'ecommerce' | 'government';

export const ID_COLUMN = 'customer_id';

/** Which source columns each party holds; only the bank holds the label y. duration is dropped (it leaks y). */
export const VERTICAL_PARTY_COLUMNS: Record<VerticalPartyId, readonly string[]> = {
  bank: ['age', 'job', 'marital', 'education', 'default', 'housing', 'loan', 'y'],
  ecommerce: ['contact', 'month', 'day_of_week', 'campaign', 'pdays', 'previous', 'poutcome'],
  government: ['emp.var.rate', 'cons.price.idx', 'cons.conf.idx', 'euribor3m', 'nr.employed'],
};

export interface VerticalSplitOptions {
  seed: number;
  /** Share of all customers missing from the bank's file only (the partners have them). */
  bankOnlyMissing?: number;
  /** Each partner misses a share drawn uniformly from this range. */
  partnerMissing?: readonly [number, number];
}

export interface VerticalPartySplit {
  tables: Record<VerticalPartyId, CsvTable>;
  /** The shares actually dropped, for the report. */
  missing: Record<VerticalPartyId, number>;
  /**
   * The customers missing from the bank's file, with the bank's columns (label included): the demo's
   * "new customers" the bank scores after training (the label only to check the scores).
   */
  newBankCustomers: CsvTable;
}

/**
 * Splits the bank-marketing table by columns into three parties' files with a synthetic customer_id
 * (C + 6 digits, numbered after a seeded shuffle so ids say nothing about file order). The bank lacks
 * ~3% of customers, each partner lacks 10–20% of them, independently; every file's rows are shuffled.
 * Deterministic for a seed.
 */
export function splitVerticalParties(table: CsvTable, options: VerticalSplitOptions): VerticalPartySplit {
  const positions = new Map(table.header.map((name, index) => [name, index]));
  const column = (name: string): number => {
    const position = positions.get(name);
    if (position === undefined) throw new DatasetError(`${table.source}: line 1: column "${name}" is missing from the header`);
    return position;
  };
  const random = createSeededRandom(options.seed);
  const order = Array.from(table.rows.keys());
  shuffleInPlace(order, random);
  const width = Math.max(6, String(order.length).length);
  const idOf = new Map(order.map((row, rank) => [row, `C${String(rank + 1).padStart(width, '0')}`]));
  const [low, high] = options.partnerMissing ?? [0.1, 0.2];
  const missingShare: Record<VerticalPartyId, number> = {
    bank: options.bankOnlyMissing ?? 0.03,
    ecommerce: low + (high - low) * random(),
    government: low + (high - low) * random(),
  };

  const tables = {} as Record<VerticalPartyId, CsvTable>;
  let newBankCustomers: CsvTable = { source: 'new-bank-customers.csv', header: [], rows: [] };
  for (const party of ['bank', 'ecommerce', 'government'] as const) {
    const cells = VERTICAL_PARTY_COLUMNS[party].map(column);
    const kept = Array.from(table.rows.keys());
    shuffleInPlace(kept, random);
    // After the shuffle the first share of rows is the missing one; the rest stays in shuffled order.
    const rows = kept.slice(Math.round(kept.length * missingShare[party])).map((row) => {
      const source = table.rows[row] as string[];
      return [idOf.get(row) as string, ...cells.map((position) => source[position] as string)];
    });
    tables[party] = { source: `${party}.csv`, header: [ID_COLUMN, ...VERTICAL_PARTY_COLUMNS[party]], rows };
    if (party === 'bank') {
      const missingRows = kept.slice(0, Math.round(kept.length * missingShare[party])).map((row) => {
        const source = table.rows[row] as string[];
        return [idOf.get(row) as string, ...cells.map((position) => source[position] as string)];
      });
      newBankCustomers = { source: 'new-bank-customers.csv', header: [ID_COLUMN, ...VERTICAL_PARTY_COLUMNS[party]], rows: missingRows };
    }
  }
  return { tables, missing: missingShare, newBankCustomers };
}
