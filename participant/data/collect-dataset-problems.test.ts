import { describe, expect, it } from 'vitest';
import { featureSchemaSchema } from '../../protocols/data/feature-schema.js';
import { partyFeatureSpecSchema } from '../../protocols/vertical/party-feature-spec.js';
import { parsePartyTable } from '../vertical/data/parse-party-table.js';
import { formatDatasetProblem, type DatasetProblem } from './dataset-problem.js';
import { parseDataset } from './parse-dataset.js';
import { parseCsvText } from './read-csv-table.js';

const schema = featureSchemaSchema.parse({
  numeric: ['age'],
  categorical: [{ name: 'contact', categories: ['cellular', 'telephone'] }],
  label: { column: 'y', positive: 'yes', negative: 'no' },
});

function collecting(): { problems: DatasetProblem[]; report: (problem: DatasetProblem) => void; lines: () => string[] } {
  const problems: DatasetProblem[] = [];
  return { problems, report: (problem) => problems.push(problem), lines: () => problems.map(formatDatasetProblem) };
}

describe('parsers with a collecting reporter find every problem', () => {
  it('parseCsvText leaves out rows with the wrong cell count and goes on', () => {
    const sink = collecting();
    const table = parseCsvText('age,contact,y\n1,cellular,yes\n2\n3,telephone,no\n', 'a.csv', { report: sink.report });
    expect(table.rows).toEqual([['1', 'cellular', 'yes'], ['3', 'telephone', 'no']]);
    expect(table.rowLines).toEqual([2, 4]);
    expect(sink.lines()).toEqual(['a.csv: line 3: expected 3 cells, found 1 (delimiter ",")']);
  });

  it('parseDataset reports each bad cell in the fail-fast wording, and marks it NaN, -1 or 0', () => {
    const sink = collecting();
    const text = 'age,contact,y\nx,cellular,yes\n5,fax,maybe\n,telephone,no\n';
    const dataset = parseDataset(parseCsvText(text, 'a.csv'), schema, sink.report);
    expect(sink.lines()).toEqual([
      'a.csv: line 2, column "age": "x" is not a finite number',
      'a.csv: line 3, column "contact": unknown category "fax"; declared: "cellular", "telephone"',
      'a.csv: line 3, column "y": label "maybe" is neither the positive "yes" nor the negative "no"',
      'a.csv: line 4, column "age": "" is not a finite number; if it means a missing value, declare features.missing.columns["age"] with fill: mean or a number',
    ]);
    expect(Array.from(dataset.numeric[0] ?? [])).toEqual([Number.NaN, 5, Number.NaN]);
    expect(Array.from(dataset.categoricalIndex[0] ?? [])).toEqual([0, -1, 1]);
    expect(Array.from(dataset.labels)).toEqual([1, 0, 0]);
    // The fail-fast default still stops at the first, with the same words.
    expect(() => parseDataset(parseCsvText(text, 'a.csv'), schema)).toThrow(/^a\.csv: line 2, column "age": "x" is not a finite number$/);
  });

  it('every header problem is reported, and the columns that are there are still read', () => {
    const sink = collecting();
    const dataset = parseDataset(parseCsvText('agee,contact,extra,extra\n1,cellular,a,b\n', 'h.csv'), schema, sink.report);
    expect(sink.lines()).toEqual([
      'h.csv: line 1: column "extra" appears twice in the header',
      'h.csv: line 1: numeric column "age" is missing from the header; did you mean "agee"?',
      'h.csv: line 1: label column "y" is missing from the header',
      'h.csv: line 1: column "agee" is not in the job\'s feature schema; add it to features.ignored to train without it',
      'h.csv: line 1: column "extra" is not in the job\'s feature schema; add it to features.ignored to train without it',
    ]);
    expect(Array.from(dataset.categoricalIndex[0] ?? [])).toEqual([0]);
  });

  it('parsePartyTable reports every empty and repeated id and bad cell', () => {
    const sink = collecting();
    const spec = partyFeatureSpecSchema.parse({ numeric: ['spend'] });
    const table = parsePartyTable(parseCsvText('id,spend\na,1\na,2\n ,x\nb,3\na,4\n', 'p.csv'), spec, { idColumn: 'id', report: sink.report });
    expect(sink.lines()).toEqual([
      'p.csv: line 3, column "id": id "a" repeats line 2',
      'p.csv: line 4, column "id": the id is empty',
      'p.csv: line 4, column "spend": "x" is not a finite number',
      'p.csv: line 6, column "id": id "a" repeats line 2',
    ]);
    expect(table.ids).toEqual(['a', 'a', ' ', 'b', 'a']);
  });
});
