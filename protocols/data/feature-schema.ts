import { z } from 'zod';
import { categoryValueSchema } from './category-value.js';

// Strict: a misspelt field is an error naming it, not a silent default (as everywhere in the job file).

/** The job file's `features`: which CSV columns the model uses, how, and the binary label. */
export const featureSchemaSchema = z
  .strictObject({
    numeric: z.array(z.string().min(1)).default([]),
    categorical: z
      .array(z.strictObject({ name: z.string().min(1), categories: z.array(categoryValueSchema).min(1) }))
      .default([]),
    label: z.strictObject({
      column: z.string().min(1),
      positive: z.string(),
      negative: z.string(),
    }),
    // Columns present in the CSV that the model must not use (for example a leaking column).
    ignored: z.array(z.string().min(1)).default([]),
  })
  .superRefine((schema, ctx) => {
    const seen = new Set<string>();
    const names = [
      ...schema.numeric,
      ...schema.categorical.map((column) => column.name),
      schema.label.column,
      ...schema.ignored,
    ];
    for (const name of names) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `column "${name}" is declared twice` });
      seen.add(name);
    }
    if (schema.numeric.length + schema.categorical.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'declare at least one numeric or categorical feature' });
    }
    if (schema.label.positive === schema.label.negative) {
      ctx.addIssue({ code: 'custom', path: ['label', 'negative'], message: 'must differ from label.positive' });
    }
    for (const [index, column] of schema.categorical.entries()) {
      if (new Set(column.categories).size !== column.categories.length) {
        ctx.addIssue({ code: 'custom', path: ['categorical', index, 'categories'], message: 'categories repeat' });
      }
    }
  });

export type FeatureSchema = z.infer<typeof featureSchemaSchema>;
