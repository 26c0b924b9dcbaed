import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../protocols/errors.js';
import { parseCsvRecords } from './parse-csv-records.js';

describe('parseCsvRecords', () => {
  it('splits unquoted and quoted cells and unescapes doubled quotes', () => {
    const records = parseCsvRecords('a;"b";"say ""hi"""\n1;"x;y";\n', 't.csv', ';');
    expect(records.map((record) => record.cells)).toEqual([
      ['a', 'b', 'say "hi"'],
      ['1', 'x;y', ''],
    ]);
  });

  it('keeps newlines inside quoted cells and reports the line each record starts on', () => {
    const records = parseCsvRecords('h1,h2\r\n"multi\nline",2\r\n\r\nlast,"x"', 't.csv', ',');
    expect(records).toEqual([
      { cells: ['h1', 'h2'], line: 1 },
      { cells: ['multi\nline', '2'], line: 2 },
      { cells: ['last', 'x'], line: 5 },
    ]);
  });

  it('treats quoted empty cells as cells, so a one-column row of "" is not a blank line', () => {
    expect(parseCsvRecords('v\n""\n\nz\n', 't.csv', ',').map((record) => record.cells)).toEqual([['v'], [''], ['z']]);
  });

  it('reads a trailing delimiter as an empty last cell', () => {
    expect(parseCsvRecords('a,b,', 't.csv', ',')[0]?.cells).toEqual(['a', 'b', '']);
  });

  it('names the line of an unclosed quote', () => {
    expect(() => parseCsvRecords('a,b\n1,2\n3,"open\n4,5\n', 'bad.csv', ',')).toThrow(
      new DatasetError('bad.csv: line 3: a quoted cell is never closed'),
    );
  });

  it('rejects text after a closing quote with the line it is on', () => {
    expect(() => parseCsvRecords('a,b\n"x"y,2\n', 'bad.csv', ',')).toThrow(/bad\.csv: line 2: unexpected "y" after a closing quote/);
  });
});
