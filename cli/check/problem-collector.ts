import type { DatasetProblem } from '../../participant/data/dataset-problem.js';

/** Problems of one file: the first `cap` per column listed, every one counted. */
export interface CollectedProblems {
  readonly total: number;
  readonly listed: readonly DatasetProblem[];
  /** Per column (or "header/rows" for problems outside any column), how many were not listed. */
  readonly notListed: readonly { readonly column: string; readonly count: number }[];
}

const OUTSIDE_COLUMNS = '(header and rows)';

/** A reporter for the parsers that lists up to `cap` problems per column and counts the rest. */
export class ProblemCollector {
  private readonly listed: DatasetProblem[] = [];
  private readonly perColumn = new Map<string, { listed: number; more: number }>();
  private total = 0;

  constructor(private readonly cap = 50) {}

  readonly report = (problem: DatasetProblem): void => {
    this.total += 1;
    const key = problem.column ?? OUTSIDE_COLUMNS;
    const seen = this.perColumn.get(key) ?? { listed: 0, more: 0 };
    this.perColumn.set(key, seen);
    if (seen.listed < this.cap) {
      seen.listed += 1;
      this.listed.push(problem);
    } else {
      seen.more += 1;
    }
  };

  result(): CollectedProblems {
    const notListed = [...this.perColumn.entries()].filter(([, seen]) => seen.more > 0).map(([column, seen]) => ({ column, count: seen.more }));
    // Reading reports short rows before the cells are parsed: list everything in file order.
    const listed = [...this.listed].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { total: this.total, listed, notListed };
  }
}
