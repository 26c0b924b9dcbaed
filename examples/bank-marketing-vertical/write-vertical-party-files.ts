/**
 * Writes the three parties' CSVs of the vertical demo (bank.csv with the label, ecommerce.csv,
 * government.csv; `;`-separated, each with customer_id) for a federation run:
 *   scripts/with-node-22.sh node --import tsx examples/bank-marketing-vertical/write-vertical-party-files.ts [--out dir] [--seed 42]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { formatCsv } from '../../participant/data/write-csv.js';
import { bankMarketingDataPath } from '../bank-marketing/bank-marketing-data.js';
import { splitVerticalParties } from './split-vertical-parties.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: bankMarketingDataPath },
    out: { type: 'string', default: 'out/bank-marketing-vertical/data' },
    seed: { type: 'string', default: '42' },
  },
});
const out = resolve(values.out);
await mkdir(out, { recursive: true });
const { tables, missing } = splitVerticalParties(await readCsvTable(values.data), { seed: Number(values.seed) });
for (const [party, table] of Object.entries(tables)) {
  const path = join(out, `${party}.csv`);
  await writeFile(path, formatCsv(table.header, table.rows));
  console.log(`${path}: ${table.rows.length} rows, ${table.header.length - 1} columns (missing ${(missing[party as keyof typeof missing] * 100).toFixed(1)}% of customers)`);
}
