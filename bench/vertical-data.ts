import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import { ID_COLUMN, splitVerticalParties, type VerticalPartyId } from '../examples/bank-marketing-vertical/split-vertical-parties.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { formatCsv } from '../participant/data/write-csv.js';

export const VERTICAL_PARTIES = ['bank', 'ecommerce', 'government'] as const satisfies readonly VerticalPartyId[];

/** The vertical demo's three party files, written for the bench's jobs, and each party's customer ids (for the PSI case). */
export interface VerticalBenchData {
  readonly files: Readonly<Record<VerticalPartyId, string>>;
  readonly ids: ReadonlyMap<VerticalPartyId, readonly string[]>;
}

/**
 * Splits the bank-marketing table by columns exactly as `npm run demo:vertical` does (seed 42);
 * `maxCustomers` > 0 keeps only the table's first rows (the --quick smoke run).
 */
export async function writeVerticalBenchData(directory: string, maxCustomers: number): Promise<VerticalBenchData> {
  const table = await readCsvTable(bankMarketingDataPath);
  const source = maxCustomers > 0 ? { source: table.source, header: table.header, rows: table.rows.slice(0, maxCustomers) } : table;
  const { tables } = splitVerticalParties(source, { seed: 42 });
  await mkdir(directory, { recursive: true });
  const files = {} as Record<VerticalPartyId, string>;
  const ids = new Map<VerticalPartyId, string[]>();
  for (const party of VERTICAL_PARTIES) {
    const partyTable = tables[party];
    files[party] = join(directory, `${party}.csv`);
    await writeFile(files[party], formatCsv(partyTable.header, partyTable.rows));
    const idIndex = partyTable.header.indexOf(ID_COLUMN);
    ids.set(party, partyTable.rows.map((row) => row[idIndex] as string));
  }
  return { files, ids };
}
