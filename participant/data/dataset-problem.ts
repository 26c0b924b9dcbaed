import { DatasetError } from '../../protocols/errors.js';

/** One thing wrong with a dataset file, where it is and what is wrong. */
export interface DatasetProblem {
  readonly source: string;
  /** 1-based file line (the header is line 1); absent for whole-file problems. */
  readonly line?: number;
  /** The schema column the problem is in; absent for header and row-shape problems. */
  readonly column?: string;
  /** The offending cell as written, where there is one. */
  readonly cell?: string;
  readonly message: string;
}

/**
 * Called for each problem a parser finds. The default throws (fail fast, the node's behaviour); a
 * reporter that returns lets the parser go on and find the rest (`hefl check`).
 */
export type ReportDatasetProblem = (problem: DatasetProblem) => void;

/** `file: line N, column "c": message`, the shape every dataset error has. */
export function formatDatasetProblem(problem: DatasetProblem): string {
  const line = problem.line === undefined ? '' : `: line ${problem.line}`;
  const column = problem.column === undefined ? '' : `, column "${problem.column}"`;
  return `${problem.source}${line}${column}: ${problem.message}`;
}

/** The fail-fast reporter: the first problem ends the parse as a DatasetError. */
export const throwDatasetProblem: ReportDatasetProblem = (problem) => {
  throw new DatasetError(formatDatasetProblem(problem));
};
