import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from '../../protocols/errors.js';
import { throwDatasetProblem, type ReportDatasetProblem } from './dataset-problem.js';
import { detectCsvDelimiter } from './detect-csv-delimiter.js';
import { parseCsvRecords } from './parse-csv-records.js';

/** A CSV file as text cells; `rows` excludes the header. */
export interface CsvTable {
  source: string;
  header: string[];
  rows: string[][];
  /**
   * 1-based file line each row starts on (the header is line 1). Absent for tables built in code;
   * error messages then assume one line per row.
   */
  rowLines?: number[];
}

export interface CsvOptions {
  /** One character; detected from the header line (`;` or `,`) when left out. */
  delimiter?: string;
  /**
   * Hears of each row with the wrong number of cells; such a row is then left out and reading goes
   * on (`hefl check`). Without it the first one ends the read.
   */
  report?: ReportDatasetProblem;
}

const gunzipAsync = promisify(gunzip);

/** Reads a plain or gzip-compressed CSV (gzip is recognized by its magic bytes). */
export async function readCsvTable(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : String(cause);
    throw new DatasetError(`${path}: cannot read the dataset: ${reason}`, { cause });
  }
  if (bytes.length === 0) throw new DatasetError(`${path}: the file is empty`);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzipped) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (cause) {
      throw new DatasetError(`${path}: the gzip data is corrupt: ${(cause as Error).message}`, { cause });
    }
  } else if (/\.gz$/i.test(path)) {
    throw new DatasetError(`${path}: the name ends in .gz but the file is not gzip-compressed`);
  }
  return parseCsvText(bytes.toString('utf8'), path, options);
}

/** Parses CSV text whose first record is the header; `source` names the file in errors. */
export function parseCsvText(text: string, source: string, options: CsvOptions = {}): CsvTable {
  // Excel writes a UTF-8 byte-order mark, which would otherwise stick to the first column name.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DatasetError(`${source}: the file is empty`);
  const delimiter = options.delimiter ?? detectCsvDelimiter(body);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DatasetError(`${source}: delimiter ${JSON.stringify(delimiter)} must be one character other than a quote or newline`);
  }
  const [headerRecord, ...records] = parseCsvRecords(body, source, delimiter);
  if (headerRecord === undefined) throw new DatasetError(`${source}: the file is empty`);
  const header = headerRecord.cells;
  const rows: string[][] = [];
  const rowLines: number[] = [];
  const report = options.report ?? throwDatasetProblem;
  for (const record of records) {
    if (record.cells.length !== header.length) {
      const found = `expected ${header.length} cells, found ${record.cells.length}`;
      report({ source, line: record.line, message: `${found} (delimiter ${JSON.stringify(delimiter)})` });
      continue;
    }
    rows.push(record.cells);
    rowLines.push(record.line);
  }
  return { source, header, rows, rowLines };
}
