import { findSimilarName } from '../../protocols/data/find-similar-name.js';
import { throwDatasetProblem, type ReportDatasetProblem } from './dataset-problem.js';

/** A column a parser needs, and its role for the "missing" message ("numeric", "label", ...). */
export interface WantedColumn {
  readonly name: string;
  readonly role: string;
}

/**
 * Header positions of the wanted columns, in their order; -1 for one that is missing (reported). A
 * repeated header name, a missing column and a column in none of `known` are each reported, in that
 * order, so the fail-fast reporter throws the same first error as ever.
 */
export function resolveHeaderColumns(
  header: readonly string[],
  wanted: readonly WantedColumn[],
  known: ReadonlySet<string>,
  options: { source: string; undeclared: (name: string) => string; report?: ReportDatasetProblem },
): number[] {
  const { source, report = throwDatasetProblem } = options;
  const positions = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (positions.has(name)) report({ source, line: 1, message: `column "${name}" appears twice in the header` });
    else positions.set(name, index);
  }
  const found = wanted.map(({ name, role }) => {
    const position = positions.get(name);
    if (position !== undefined) return position;
    const similar = findSimilarName(name, header);
    report({
      source,
      line: 1,
      message: `${role} column "${name}" is missing from the header` + (similar === undefined ? '' : `; did you mean "${similar}"?`),
    });
    return -1;
  });
  for (const name of positions.keys()) {
    if (!known.has(name)) report({ source, line: 1, message: options.undeclared(name) });
  }
  return found;
}
