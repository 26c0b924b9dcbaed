import { describe, expect, it } from 'vitest';
import { parseCsvText } from './read-csv-table.js';
import { formatCsv } from './write-csv.js';

describe('formatCsv', () => {
  it('quotes only cells that need it', () => {
    expect(formatCsv(['job', 'note'], [['admin.', 'a;b'], ['x', 'say "hi"']])).toBe(
      'job;note\nadmin.;"a;b"\nx;"say ""hi"""\n',
    );
    expect(formatCsv(['a', 'b'], [['1;2', '3,4']], ',')).toBe('a,b\n1;2,"3,4"\n');
  });

  it('round-trips awkward cells through parseCsvText', () => {
    const header = ['age', 'job', 'comment'];
    const rows = [
      ['56', 'house;maid', 'line one\nline two'],
      ['', ' padded ', '"quoted"'],
      ['41', 'blue-collar', 'crlf\r\ninside'],
    ];
    for (const delimiter of [';', ',', '\t']) {
      const table = parseCsvText(formatCsv(header, rows, delimiter), 'round-trip', { delimiter });
      expect(table.header).toEqual(header);
      expect(table.rows).toEqual(rows);
    }
  });

  it('keeps empty values of a one-column file from turning into skipped blank lines', () => {
    const table = parseCsvText(formatCsv(['value'], [['a'], [''], ['b']]), 'one-column');
    expect(table.rows).toEqual([['a'], [''], ['b']]);
  });
});
