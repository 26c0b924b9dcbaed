import { DatasetError } from '../../protocols/errors.js';
import type { CsvTable } from '../../participant/data/read-csv-table.js';
import { stratifiedSplit } from '../../participant/data/stratified-split.js';

export type InstitutionId = 'bank' | 'ecommerce' | 'government';

export interface InstitutionSplit {
  /** Held-out rows for evaluating the global model; no institution trains on them. */
  test: string[][];
  institutions: { id: InstitutionId; rows: string[][]; rule: string }[];
}

/*
 * Non-IID by occupation, as if three organizations each saw a different clientele:
 *   government: public-facing, benefit and pension clients (admin., services, unemployed, retired,
 *               housemaid, student): the largest share (~46%) with the highest subscription rate
 *               (~14%), driven by retirees and students;
 *   ecommerce:  blue-collar customers (~22%), the lowest rate (~7%);
 *   bank:       professional and business clients (management, technician, self-employed,
 *               entrepreneur, unknown) (~31%, ~11%).
 * Every job value lands somewhere: anything not listed for government or ecommerce goes to bank.
 */
const GOVERNMENT_JOBS = new Set(['admin.', 'services', 'unemployed', 'retired', 'housemaid', 'student']);
const ECOMMERCE_JOBS = new Set(['blue-collar']);

const RULES: Record<InstitutionId, string> = {
  government: 'job in {admin., services, unemployed, retired, housemaid, student}',
  ecommerce: 'job in {blue-collar}',
  bank: 'every other job (management, technician, self-employed, entrepreneur, unknown)',
};

/**
 * Splits the bank-marketing table for the demo: first a stratified held-out test set on label y,
 * then the training rows to three institutions by job. Rows keep their file order; deterministic.
 */
export function splitInstitutions(table: CsvTable, options: { testFraction: number; seed: number }): InstitutionSplit {
  const column = (name: string): number => {
    const index = table.header.indexOf(name);
    if (index === -1) throw new DatasetError(`${table.source}: line 1: column "${name}" is missing from the header`);
    return index;
  };
  const jobColumn = column('job');
  const labelColumn = column('y');
  const labels = Uint8Array.from(table.rows, (row) => (row[labelColumn] === 'yes' ? 1 : 0));
  const { trainIndices, testIndices } = stratifiedSplit(labels, options.testFraction, options.seed);

  const rowsOf: Record<InstitutionId, string[][]> = { bank: [], ecommerce: [], government: [] };
  for (const index of trainIndices) {
    const row = table.rows[index] as string[];
    const job = row[jobColumn] as string;
    const id: InstitutionId = GOVERNMENT_JOBS.has(job) ? 'government' : ECOMMERCE_JOBS.has(job) ? 'ecommerce' : 'bank';
    rowsOf[id].push(row);
  }
  return {
    test: Array.from(testIndices, (index) => table.rows[index] as string[]),
    institutions: (['bank', 'ecommerce', 'government'] as const).map((id) => ({ id, rows: rowsOf[id], rule: RULES[id] })),
  };
}
