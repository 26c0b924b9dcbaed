import { z } from 'zod';

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value;
}

/**
 * One declared category of a categorical column. YAML reads `categories: [1, 2, 3]` as numbers, so
 * a number is accepted and kept as its string (`2.0` in YAML is the number 2, kept as "2"); a CSV
 * cell then matches it by spelling or by numeric value (participant/data/match-category.ts).
 */
export const categoryValueSchema = z
  .union([z.string(), z.number()], {
    error: (issue) => `a category must be a string or a number, not ${describeType(issue.input)}`,
  })
  .transform((value) => String(value));
