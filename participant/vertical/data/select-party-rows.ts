import type { PartyTable } from './parse-party-table.js';

/**
 * The party's rows in the common (PSI) order: positions[k] is the local row of common row k.
 * Rows outside the intersection are dropped here and never reach training.
 */
export function selectPartyRows(table: PartyTable, positions: Int32Array): PartyTable {
  for (const [k, position] of positions.entries()) {
    if (!(position >= 0 && position < table.rowCount)) throw new RangeError(`selectPartyRows: common row ${k} points at local row ${position} of ${table.rowCount}`);
  }
  const labels = table.labels;
  return {
    source: table.source,
    ids: Array.from(positions, (position) => table.ids[position] as string),
    numeric: table.numeric.map((column) => Float64Array.from(positions, (position) => column[position] as number)),
    categoricalIndex: table.categoricalIndex.map((column) => Int32Array.from(positions, (position) => column[position] as number)),
    ...(labels === undefined ? {} : { labels: Uint8Array.from(positions, (position) => labels[position] as number) }),
    rowCount: positions.length,
  };
}
