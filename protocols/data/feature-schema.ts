import { z } from 'zod';
import { categoryValueSchema } from './category-value.js';
import { missingValuesProblems, missingValuesSchema } from './missing-values.js';

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
      // Numbers allowed as for categories (`positive: 1`); a cell matches by spelling or value (`1.0`).
      positive: categoryValueSchema,
      negative: categoryValueSchema,
    }),
    // Columns present in the CSV that the model must not use (for example a leaking column).
    ignored: z.array(z.string().min(1)).default([]),
    // Absent: a missing cell is an error naming it (protocols/data/missing-values.ts).
    missing: missingValuesSchema.optional(),
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
    const { positive, negative } = schema.label;
    if (positive === negative || (positive.trim() !== '' && negative.trim() !== '' && Number(positive) === Number(negative))) {
      ctx.addIssue({ code: 'custom', path: ['label', 'negative'], message: 'must differ from label.positive' });
    }
    for (const [index, column] of schema.categorical.entries()) {
      if (new Set(column.categories).size !== column.categories.length) {
        ctx.addIssue({ code: 'custom', path: ['categorical', index, 'categories'], message: 'categories repeat' });
      }
    }
    for (const [path, message] of missingValuesProblems(schema)) ctx.addIssue({ code: 'custom', path, message });
  });

export type FeatureSchema = z.infer<typeof featureSchemaSchema>;
