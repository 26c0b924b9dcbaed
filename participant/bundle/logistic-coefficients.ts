import { hasMissingCategory, indicatorColumns, MISSING_CATEGORY } from '../../protocols/data/missing-values.js';
import type { Preprocessing } from './preprocessing-file.js';

/** One input feature's weight in a logistic regression's log-odds. */
export interface CoefficientRow {
  /** The encoded feature's name, e.g. "age" or "job=admin." (featureNames order). */
  readonly feature: string;
  readonly column: string;
  /** The one-hot category ("(missing)" for a missing-cell slot); absent for a numeric feature or a missing indicator. */
  readonly category?: string;
  /** The weight on the model's input: the standardized value for a numeric feature, 0/1 for a category. */
  readonly standardized: number;
  /** Per unit of the raw column (weight / std); a 0/1 input's (category, indicator) is the same. 0 for a constant column (std 0), which the model never sees. */
  readonly originalUnits: number;
  readonly mean?: number;
  readonly std?: number;
}

export interface CoefficientTable {
  readonly jobId: string;
  readonly label: { readonly column: string; readonly positive: string };
  readonly intercept: { readonly standardized: number; readonly originalUnits: number };
  readonly rows: readonly CoefficientRow[];
}

/**
 * A logistic regression's coefficients on both scales. On raw values the log-odds are
 * b + Σ w·(x − mean)/std = (b − Σ w·mean/std) + Σ (w/std)·x, so the original-unit weight is w/std
 * and the intercept absorbs −Σ w·mean/std; a one-hot input is not standardized, so it keeps w.
 */
export function logisticCoefficients(kernel: ArrayLike<number>, bias: number, preprocessing: Preprocessing): CoefficientTable {
  const { features, featureNames, numericMeans, numericStds } = preprocessing;
  if (kernel.length !== featureNames.length) throw new Error(`${kernel.length} weights for ${featureNames.length} features`);
  const rows: CoefficientRow[] = [];
  let interceptShift = 0;
  for (const [index, column] of features.numeric.entries()) {
    const weight = kernel[index] as number;
    const mean = numericMeans[index] as number;
    const std = numericStds[index] as number;
    // std 0: encodeFeatures feeds exactly 0, so the column adds nothing on either scale.
    const originalUnits = std === 0 ? 0 : weight / std;
    interceptShift += originalUnits * mean;
    rows.push({ feature: featureNames[index] as string, column, standardized: weight, originalUnits, mean, std });
  }
  // 0/1 inputs, in featureNames order: missing indicators, then each one-hot block (and its (missing) slot).
  const binary = [
    ...indicatorColumns(features).map((column) => ({ column, category: undefined })),
    ...features.categorical.flatMap((column) =>
      [...column.categories, ...(hasMissingCategory(features, column.name) ? [MISSING_CATEGORY] : [])].map((category) => ({ column: column.name, category })),
    ),
  ];
  for (const [offset, { column, category }] of binary.entries()) {
    const position = features.numeric.length + offset;
    const weight = kernel[position] as number;
    rows.push({ feature: featureNames[position] as string, column, ...(category === undefined ? {} : { category }), standardized: weight, originalUnits: weight });
  }
  return {
    jobId: preprocessing.jobId,
    label: { column: features.label.column, positive: features.label.positive },
    intercept: { standardized: bias, originalUnits: bias - interceptShift },
    rows,
  };
}
