import { DatasetError } from '../../protocols/errors.js';

/** One CSV record and the 1-based physical line it starts on (quoted cells may span lines). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text into records, RFC 4180 style: cells in double quotes may hold the delimiter,
 * newlines and "" for a quote. Blank lines are skipped (trailing newlines are common in exports).
 * Scans with indexOf/slice rather than per-character string building, so a 40k-row file parses in
 * tens of milliseconds.
 */
export function parseCsvRecords(text: string, source: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const delimiterCode = delimiter.charCodeAt(0);
  const length = text.length;
  let index = 0;
  let line = 1;
  while (index < length) {
    const first = text.charCodeAt(index);
    if (first === LF) {
      index += 1;
      line += 1;
      continue;
    }
    if (first === CR && text.charCodeAt(index + 1) === LF) {
      index += 2;
      line += 1;
      continue;
    }
    const startLine = line;
    const cells: string[] = [];
    record: for (;;) {
      if (text.charCodeAt(index) === QUOTE) {
        const openLine = line;
        let value = '';
        let start = index + 1;
        for (;;) {
          const close = text.indexOf('"', start);
          if (close === -1) {
            throw new DatasetError(`${source}: line ${openLine}: a quoted cell is never closed`);
          }
          for (let scan = start; scan < close; scan += 1) if (text.charCodeAt(scan) === LF) line += 1;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(start, close + 1);
            start = close + 2;
            continue;
          }
          value += text.slice(start, close);
          index = close + 1;
          break;
        }
        cells.push(value);
        if (index >= length) break record;
        const next = text.charCodeAt(index);
        if (next === delimiterCode) {
          index += 1;
          continue;
        }
        if (next === LF || (next === CR && text.charCodeAt(index + 1) === LF)) {
          index += next === LF ? 1 : 2;
          line += 1;
          break record;
        }
        throw new DatasetError(
          `${source}: line ${line}: unexpected ${JSON.stringify(text[index])} after a closing quote; ` +
            'write a quote inside a quoted cell as ""',
        );
      }
      let end = index;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === delimiterCode || code === LF || (code === CR && text.charCodeAt(end + 1) === LF)) break;
        end += 1;
      }
      cells.push(text.slice(index, end));
      if (end >= length) {
        index = end;
        break record;
      }
      const stop = text.charCodeAt(end);
      if (stop === delimiterCode) {
        index = end + 1;
        // A delimiter as the very last character still ends with an empty cell.
        if (index >= length) {
          cells.push('');
          break record;
        }
        continue;
      }
      index = end + (stop === LF ? 1 : 2);
      line += 1;
      break record;
    }
    records.push({ cells, line: startLine });
  }
  return records;
}
