import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bankMarketingDataPath } from '../../examples/bank-marketing/bank-marketing-data.js';
import { bankMarketingFeatures } from '../../examples/bank-marketing/bank-marketing-job.js';
import { splitInstitutions } from '../../examples/bank-marketing/split-institutions.js';
import { readCsvTable, type CsvTable } from '../../participant/data/read-csv-table.js';
import { formatCsv } from '../../participant/data/write-csv.js';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../../protocols/job/job-spec.js';
import { scaledSeconds } from './time-scale.js';

export interface BankSlices {
  readonly table: CsvTable;
  /** institution id -> CSV path */
  readonly files: Readonly<Record<'bank' | 'ecommerce' | 'government', string>>;
  readonly testFile: string;
  readonly rows: Readonly<Record<'bank' | 'ecommerce' | 'government', string[][]>>;
}

let cachedTable: Promise<CsvTable> | undefined;

/** Small per-institution slices of the real bank-marketing data, written as CSVs into `directory`. */
export async function writeBankSlices(directory: string, rowsPerInstitution: number, testRows: number): Promise<BankSlices> {
  cachedTable ??= readCsvTable(bankMarketingDataPath);
  const table = await cachedTable;
  const split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
  await mkdir(directory, { recursive: true });
  const files = {} as Record<'bank' | 'ecommerce' | 'government', string>;
  const rows = {} as Record<'bank' | 'ecommerce' | 'government', string[][]>;
  for (const institution of split.institutions) {
    // Every 7th row, so slices span the whole date range (the file is ordered by date).
    const slice = institution.rows.filter((_, index) => index % 7 === 0).slice(0, rowsPerInstitution);
    rows[institution.id] = slice;
    files[institution.id] = join(directory, `${institution.id}.csv`);
    await writeFile(files[institution.id], formatCsv(table.header, slice));
  }
  const testFile = join(directory, 'test.csv');
  await writeFile(testFile, formatCsv(table.header, split.test.filter((_, index) => index % 5 === 0).slice(0, testRows)));
  return { table, files, testFile, rows };
}

export function bankJob(overrides: Partial<JobSpecInput> = {}): JobSpec {
  return jobSpecSchema.parse({
    jobId: 'bank-test',
    model: { kind: 'logistic-regression' },
    features: bankMarketingFeatures,
    training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 7 },
    federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    ...overrides,
  });
}

/** `count` participants p1..pN, each with `rowsEach` rows of the real data (disjoint), as CSVs. */
export async function writeParticipantSlices(directory: string, count: number, rowsEach: number): Promise<{ ids: string[]; files: Record<string, string> }> {
  cachedTable ??= readCsvTable(bankMarketingDataPath);
  const table = await cachedTable;
  const split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
  const pool = split.institutions.flatMap((institution) => institution.rows);
  await mkdir(directory, { recursive: true });
  const ids = Array.from({ length: count }, (_, index) => `p${index + 1}`);
  const files: Record<string, string> = {};
  for (const [index, id] of ids.entries()) {
    // Interleaved and disjoint: participant i takes rows i, i + 11*count, ... of the pooled rows.
    const rows = pool.filter((_, row) => row % (11 * count) === index).slice(0, rowsEach);
    files[id] = join(directory, `${id}.csv`);
    await writeFile(files[id], formatCsv(table.header, rows));
  }
  return { ids, files };
}
