import { z } from 'zod';

// Strict: a misspelt field is an error naming it, not a silent default (as everywhere in the job file).

/** The job file's `training`: rounds and each participant's local optimisation. */
export const trainingSchema = z.strictObject({
  rounds: z.number().int().min(1).max(10_000),
  localEpochs: z.number().int().min(1).max(1_000).default(1),
  batchSize: z.number().int().min(1).max(65_536).default(64),
  learningRate: z.number().positive().max(10).default(0.05),
  optimizer: z.enum(['sgd', 'adam']).default('adam'),
  // Seeds the initial global model and local shuffling, so runs are reproducible.
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  // Per-participant L2 bound on the (unweighted) update delta; 0 disables clipping.
  clipNorm: z.number().min(0).default(0),
});

export type TrainingSettings = z.infer<typeof trainingSchema>;
