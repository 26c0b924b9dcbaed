import type { PartyTable } from '../../participant/vertical/data/parse-party-table.js';

/**
 * The plaintext stand-in for PSI in the baselines: ids present in every table, sorted (code-unit order),
 * and for each table the local row of each common id. The real job gets its common order from PSI.
 */
export function alignByIdJoin(tables: readonly PartyTable[]): { ids: string[]; positions: Int32Array[] } {
  const lookups = tables.map((table) => new Map(table.ids.map((id, row) => [id, row])));
  const first = tables[0];
  if (first === undefined) return { ids: [], positions: [] };
  const ids = first.ids.filter((id) => lookups.every((lookup) => lookup.has(id))).sort();
  return { ids, positions: lookups.map((lookup) => Int32Array.from(ids, (id) => lookup.get(id) as number)) };
}
