import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../protocols/errors.js';
import { parseCsvText } from '../../data/read-csv-table.js';
import { parsePartyTable } from './parse-party-table.js';
import { partyFeatureSpecSchema } from '../../../protocols/vertical/party-feature-spec.js';

const spec = partyFeatureSpecSchema.parse({ numeric: ['age'], categorical: [{ name: 'loan', categories: ['no', 'yes'] }] });
const label = { column: 'y', positive: 'yes', negative: 'no' };
const csv = (lines: string[]): ReturnType<typeof parseCsvText> => parseCsvText(lines.join('\n'), 'bank.csv');

describe('parsePartyTable', () => {
  it('reads ids, typed columns and (at the bank) 0/1 labels', () => {
    const table = parsePartyTable(csv(['customer_id,age,loan,y', 'C1,30,no,yes', 'C2,41.5,yes,no']), spec, { idColumn: 'customer_id', label });
    expect(table.ids).toEqual(['C1', 'C2']);
    expect([...(table.numeric[0] ?? [])]).toEqual([30, 41.5]);
    expect([...(table.categoricalIndex[0] ?? [])]).toEqual([0, 1]);
    expect([...(table.labels ?? [])]).toEqual([1, 0]);
  });

  it('a host has no label, and a label column in a host file is refused unless ignored', () => {
    const lines = ['customer_id,age,loan,y', 'C1,30,no,yes'];
    expect(() => parsePartyTable(csv(lines), spec, { idColumn: 'customer_id' })).toThrow('column "y" is not in this party\'s feature spec');
    const host = parsePartyTable(csv(lines), { ...spec, ignored: ['y'] }, { idColumn: 'customer_id' });
    expect(host.labels).toBeUndefined();
  });

  it('names file, line and column of a bad cell', () => {
    const parse = (row: string): unknown => parsePartyTable(csv(['customer_id,age,loan,y', 'C1,30,no,yes', row]), spec, { idColumn: 'customer_id', label });
    expect(() => parse('C2,old,no,no')).toThrow('bank.csv: line 3, column "age": "old" is not a finite number');
    expect(() => parse('C2,30,maybe,no')).toThrow('bank.csv: line 3, column "loan": unknown category "maybe"');
    expect(() => parse('C2,30,no,1')).toThrow('bank.csv: line 3, column "y": label "1" is neither');
    expect(() => parse('C1,30,no,no')).toThrow('bank.csv: line 3, column "customer_id": id "C1" repeats line 2');
    expect(() => parse('C2,30,no,1')).toThrow(DatasetError);
  });

  it('suggests a near column name when one is missing', () => {
    expect(() => parsePartyTable(csv(['customer_id,agee,loan', 'C1,3,no']), spec, { idColumn: 'customer_id' })).toThrow('did you mean "agee"?');
  });
});
