import { z } from 'zod';
import { categoryValueSchema } from '../data/category-value.js';

// Strict, as the job file: a misspelt field is an error naming it.

/** One party's columns in a vertical job: its own features only; no label (the bank's label is separate). */
export const partyFeatureSpecSchema = z
  .strictObject({
    numeric: z.array(z.string().min(1)).default([]),
    categorical: z
      .array(z.strictObject({ name: z.string().min(1), categories: z.array(categoryValueSchema).min(1) }))
      .default([]),
    // Columns present in the party's CSV that training must not use; every other column must be declared.
    ignored: z.array(z.string().min(1)).default([]),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    for (const name of [...spec.numeric, ...spec.categorical.map((column) => column.name), ...spec.ignored]) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `column "${name}" is declared twice` });
      seen.add(name);
    }
    if (spec.numeric.length + spec.categorical.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'declare at least one numeric or categorical feature' });
    }
    for (const [index, column] of spec.categorical.entries()) {
      if (new Set(column.categories).size !== column.categories.length) {
        ctx.addIssue({ code: 'custom', path: ['categorical', index, 'categories'], message: 'categories repeat' });
      }
    }
  });

export type PartyFeatureSpec = z.infer<typeof partyFeatureSpecSchema>;
export type PartyFeatureSpecInput = z.input<typeof partyFeatureSpecSchema>;

/** The bank's label column: positive → 1, negative → 0. */
export const labelSpecSchema = z
  .strictObject({ column: z.string().min(1), positive: categoryValueSchema, negative: categoryValueSchema })
  .refine((label) => label.positive !== label.negative, { message: 'label.positive and label.negative must differ' });

export type LabelSpec = z.infer<typeof labelSpecSchema>;

/** Encoded feature names in column order: numerics, then "name=category" per one-hot column. */
export function partyFeatureNames(spec: PartyFeatureSpec): string[] {
  return [...spec.numeric, ...spec.categorical.flatMap((column) => column.categories.map((category) => `${column.name}=${category}`))];
}
