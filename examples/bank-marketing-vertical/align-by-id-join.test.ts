import { describe, expect, it } from 'vitest';
import type { PartyTable } from '../../participant/vertical/data/parse-party-table.js';
import { alignByIdJoin } from './align-by-id-join.js';

const table = (ids: string[]): PartyTable => ({ source: 't', ids, numeric: [], categoricalIndex: [], rowCount: ids.length });

describe('alignByIdJoin', () => {
  it('keeps ids present everywhere, sorted, with each table\'s local rows', () => {
    const joined = alignByIdJoin([table(['C3', 'C1', 'C2', 'C9']), table(['C2', 'C3', 'C4']), table(['C1', 'C3', 'C2'])]);
    expect(joined.ids).toEqual(['C2', 'C3']);
    expect(joined.positions.map((positions) => [...positions])).toEqual([[2, 0], [0, 1], [2, 1]]);
  });
});
