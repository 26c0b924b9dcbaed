import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CsvTable } from '../../participant/data/read-csv-table.js';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { formatCsv } from '../../participant/data/write-csv.js';
import { bankMarketingDataPath } from '../../examples/bank-marketing/bank-marketing-data.js';
import { splitVerticalParties, type VerticalPartyId } from '../../examples/bank-marketing-vertical/split-vertical-parties.js';

export interface VerticalSlices {
  readonly files: Record<VerticalPartyId, string>;
  readonly tables: Record<VerticalPartyId, CsvTable>;
  /** The bank's new customers (its columns, no label) to score after training. */
  readonly scoringCsv: string;
}

/** The first `rows` bank-marketing rows split by columns into the three parties' CSVs (the demo's split). */
export async function writeVerticalSlices(directory: string, rows: number): Promise<VerticalSlices> {
  await mkdir(directory, { recursive: true });
  const full = await readCsvTable(bankMarketingDataPath);
  const { tables, newBankCustomers } = splitVerticalParties({ ...full, rows: full.rows.slice(0, rows) }, { seed: 42 });
  const files = {} as Record<VerticalPartyId, string>;
  for (const [party, table] of Object.entries(tables) as [VerticalPartyId, CsvTable][]) {
    files[party] = join(directory, `${party}.csv`);
    await writeFile(files[party], formatCsv(table.header, table.rows));
  }
  const labelAt = newBankCustomers.header.indexOf('y');
  const scoringCsv = join(directory, 'bank-new-customers.csv');
  await writeFile(scoringCsv, formatCsv(newBankCustomers.header.filter((_, index) => index !== labelAt), newBankCustomers.rows.map((row) => row.filter((_, index) => index !== labelAt))));
  return { files, tables, scoringCsv };
}
