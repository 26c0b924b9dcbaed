import { describe, expect, it } from 'vitest';
import { detectCsvDelimiter } from './detect-csv-delimiter.js';

describe('detectCsvDelimiter', () => {
  it('picks the delimiter that splits the header, looking only at the first line', () => {
    expect(detectCsvDelimiter('"age";"job";"y"\n1,2,3,4,5,6\n')).toBe(';');
    expect(detectCsvDelimiter('age,job,y\n1;2;3;4;5\n')).toBe(',');
  });

  it('ignores delimiters inside quoted header names', () => {
    expect(detectCsvDelimiter('"a;b;c",d,e\n')).toBe(',');
    expect(detectCsvDelimiter('"x,y,z";w;v\r\n')).toBe(';');
  });

  it('falls back to comma for a one-column header', () => {
    expect(detectCsvDelimiter('label\nyes\n')).toBe(',');
  });
});
