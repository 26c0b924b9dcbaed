import { z } from 'zod';

// Strict: a misspelt field is an error naming it, not a silent default (as everywhere in the job file).

const denseLayer = z.strictObject({
  type: z.literal('dense'),
  units: z.number().int().min(1).max(4096),
  activation: z.enum(['relu', 'sigmoid', 'tanh', 'linear']).default('relu'),
});

/** The job file's `model`: which network every participant trains. */
export const modelSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('logistic-regression') }),
  z.strictObject({
    kind: z.literal('sequential'),
    // Hidden layers; HEFL appends the sigmoid output unit for the binary label itself.
    hiddenLayers: z.array(denseLayer).min(1).max(16),
  }),
]);

export type ModelSpec = z.infer<typeof modelSpecSchema>;
