import { z } from 'zod';
import { categoryValueSchema } from './category-value.js';

/**
 * How a column's missing cells are filled (job file `features.missing`). Every node applies the same
 * rule, so the filled table is what a centralized pipeline (impute, then standardize) would see:
 * - numeric `fill: mean`: the federation's mean of the column's present cells, learned in round 0
 *   from encrypted sums and counts (no row leaves a node); a numeric `fill: <number>`: that constant;
 * - categorical `fill: missing-category`: an own one-hot slot `<column>=(missing)`; a categorical
 *   `fill: <category>`: that declared category;
 * - `indicator: true` adds a 0/1 input `<column> (missing)`, so the model can learn from missingness.
 */
export const missingPolicySchema = z.strictObject({
  fill: z.union([z.literal('mean'), z.literal('missing-category'), z.number(), z.string()], {
    error: 'fill must be "mean" or a number (numeric column), or "missing-category" or a declared category (categorical column)',
  }),
  indicator: z.boolean().default(false),
});

export type MissingPolicy = z.infer<typeof missingPolicySchema>;

export const missingValuesSchema = z.strictObject({
  // Cells that mean "no value", compared after trimming spaces. "NA" etc. only when declared.
  markers: z.array(z.string().transform((marker) => marker.trim())).min(1).default(['']),
  columns: z.record(z.string().min(1), missingPolicySchema).default({}),
});

export type MissingValues = z.infer<typeof missingValuesSchema>;

/** The columns' spelling of the missing-category slot and of an indicator input. */
export const MISSING_CATEGORY = '(missing)';
export const indicatorName = (column: string): string => `${column} (missing)`;

/** What feature-schema needs to know of the schema here; avoids a circle with feature-schema.ts. */
interface SchemaColumns {
  readonly numeric: readonly string[];
  readonly categorical: readonly { readonly name: string; readonly categories: readonly string[] }[];
  readonly missing?: MissingValues | undefined;
}

export function missingPolicyOf(schema: SchemaColumns, column: string): MissingPolicy | undefined {
  return schema.missing?.columns[column];
}

/** Numeric columns (schema indexes) filled with the federated mean: round 0 also counts their present cells. */
export function meanFilledColumns(schema: SchemaColumns): number[] {
  return schema.numeric.flatMap((name, index) => (missingPolicyOf(schema, name)?.fill === 'mean' ? [index] : []));
}

/** Columns (numeric first, then categorical, each in schema order) that get a missing-indicator input. */
export function indicatorColumns(schema: SchemaColumns): string[] {
  return [...schema.numeric, ...schema.categorical.map((column) => column.name)].filter(
    (name) => missingPolicyOf(schema, name)?.indicator === true,
  );
}

/** Whether a categorical column has its own `(missing)` one-hot slot after its declared categories. */
export function hasMissingCategory(schema: SchemaColumns, column: string): boolean {
  return missingPolicyOf(schema, column)?.fill === 'missing-category';
}

/** Problems of `features.missing` against the declared columns, as [path, message] pairs. */
export function missingValuesProblems(schema: SchemaColumns & { readonly label: { readonly column: string } }): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const numeric = new Set(schema.numeric);
  const categorical = new Map(schema.categorical.map((column) => [column.name, column.categories]));
  for (const [name, policy] of Object.entries(schema.missing?.columns ?? {})) {
    const path = ['missing', 'columns', name, 'fill'];
    if (name === schema.label.column) {
      problems.push([['missing', 'columns', name], 'the label cannot be filled: rows without a label are unusable for training']);
    } else if (numeric.has(name)) {
      if (policy.fill === 'missing-category') problems.push([path, `"${name}" is numeric: fill with "mean" or a number`]);
      else if (typeof policy.fill === 'string' && policy.fill !== 'mean') {
        problems.push([path, `"${name}" is numeric: fill with "mean" or a number, not ${JSON.stringify(policy.fill)}`]);
      } else if (typeof policy.fill === 'number' && !(Math.abs(policy.fill) <= 1e15)) {
        problems.push([path, `a fill value must be finite with |x| ≤ 1e15, like every numeric cell`]);
      }
    } else if (categorical.has(name)) {
      const categories = categorical.get(name) ?? [];
      if (policy.fill === 'mean') problems.push([path, `"${name}" is categorical: fill with "missing-category" or one of its declared categories`]);
      else if (policy.fill !== 'missing-category' && !categories.includes(categoryValueSchema.parse(policy.fill))) {
        problems.push([path, `${JSON.stringify(policy.fill)} is not a declared category of "${name}" (${categories.map((c) => JSON.stringify(c)).join(', ')})`]);
      }
      if (policy.fill === 'missing-category' && policy.indicator) {
        problems.push([['missing', 'columns', name, 'indicator'], `the (missing) slot of "${name}" already is the indicator; drop indicator: true`]);
      }
      if (categories.includes(MISSING_CATEGORY) && policy.fill === 'missing-category') {
        problems.push([path, `"${name}" already declares a category spelt ${MISSING_CATEGORY}`]);
      }
    } else {
      problems.push([['missing', 'columns', name], `"${name}" is not a declared numeric or categorical feature`]);
    }
  }
  return problems;
}
