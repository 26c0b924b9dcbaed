import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../protocols/errors.js';
import { parseCsvText, readCsvTable } from './read-csv-table.js';

const sample = '"age";"job";"y"\n56;"housemaid";"no"\n41;"blue-collar";"yes"\n';

describe('readCsvTable', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hefl-csv-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads plain and gzip files to the same table, detecting the delimiter', async () => {
    const plain = join(folder, 'bank.csv');
    const gz = join(folder, 'bank.csv.gz');
    await writeFile(plain, sample);
    await writeFile(gz, gzipSync(Buffer.from(sample)));
    const fromPlain = await readCsvTable(plain);
    const fromGz = await readCsvTable(gz);
    expect(fromPlain.header).toEqual(['age', 'job', 'y']);
    expect(fromPlain.rows).toEqual([
      ['56', 'housemaid', 'no'],
      ['41', 'blue-collar', 'yes'],
    ]);
    expect(fromGz.rows).toEqual(fromPlain.rows);
    expect(fromGz.source).toBe(gz);
  });

  it('honours an explicit delimiter over detection', async () => {
    const path = join(folder, 'pipe.csv');
    await writeFile(path, 'a|b\n1|2\n');
    expect((await readCsvTable(path, { delimiter: '|' })).rows).toEqual([['1', '2']]);
  });

  it('names a missing file', async () => {
    const path = join(folder, 'absent.csv');
    await expect(readCsvTable(path)).rejects.toThrow(DatasetError);
    await expect(readCsvTable(path)).rejects.toThrow(`${path}: cannot read the dataset: file not found`);
  });

  it('rejects an empty file and a whitespace-only gzip file', async () => {
    const empty = join(folder, 'empty.csv');
    const blankGz = join(folder, 'blank.csv.gz');
    await writeFile(empty, '');
    await writeFile(blankGz, gzipSync(Buffer.from('\n\n')));
    await expect(readCsvTable(empty)).rejects.toThrow(`${empty}: the file is empty`);
    await expect(readCsvTable(blankGz)).rejects.toThrow(`${blankGz}: the file is empty`);
  });

  it('rejects a .gz name holding plain text rather than decoding garbage', async () => {
    const path = join(folder, 'fake.csv.gz');
    await writeFile(path, sample);
    await expect(readCsvTable(path)).rejects.toThrow(/not gzip-compressed/);
  });
});

describe('parseCsvText', () => {
  it('names file and line (header = line 1) of a row with the wrong number of cells', () => {
    const text = 'a;b;c\n1;2;3\n1;2;3\n4;5\n';
    expect(() => parseCsvText(text, 'bank.csv')).toThrow(DatasetError);
    expect(() => parseCsvText(text, 'bank.csv')).toThrow('bank.csv: line 4: expected 3 cells, found 2');
  });

  it('records the starting line of each row, past blank lines and multi-line cells', () => {
    const table = parseCsvText('a,b\n1,"x\ny"\n\n2,z\n', 's.csv');
    expect(table.rows).toEqual([
      ['1', 'x\ny'],
      ['2', 'z'],
    ]);
    expect(table.rowLines).toEqual([2, 5]);
  });

  it('strips a UTF-8 byte-order mark from the first column name', () => {
    expect(parseCsvText('\uFEFFage,y\n1,no\n', 's.csv').header).toEqual(['age', 'y']);
  });

  it('accepts a header with no rows (parseDataset decides whether that is an error)', () => {
    expect(parseCsvText('a;b\n', 's.csv')).toMatchObject({ header: ['a', 'b'], rows: [] });
  });

  it('rejects a delimiter that cannot work', () => {
    expect(() => parseCsvText('a,b\n', 's.csv', { delimiter: '"' })).toThrow(/delimiter/);
    expect(() => parseCsvText('a,b\n', 's.csv', { delimiter: ';;' })).toThrow(/delimiter/);
  });
});
