import { z } from 'zod';

// Strict, as everywhere in the job file: a misspelt field is an error naming it, not a silent default.
// Defaults measured on the bank-marketing 3-way intersection (examples/bank-marketing-vertical/README.md).

/** Settings of vertical logistic regression, shared by every party of the job. */
export const verticalTrainingSettingsSchema = z.strictObject({
  epochs: z.number().int().min(1).max(1_000).default(15),
  // One batch fits one ciphertext: 8,192 rows with the two-values-per-slot packing (design §2.3).
  batchSize: z.number().int().min(1).max(8_192).default(8_192),
  learningRate: z.number().positive().max(10).default(0.025),
  // Mean-loss L2 coefficient λ in g = Σ/|b| + λ·w; the intercept is never penalised.
  l2: z.number().min(0).max(10).default(0.0001),
  optimizer: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
  validationFraction: z.number().min(0).max(0.9).default(0.2),
  // Shared by all parties: the train/validation split and each epoch's batches follow from it alone.
  seed: z.string().min(1).default('hefl-vertical'),
  // Features are multiples of 2^-featureScaleBits: the plaintext scale Δ_x of the encrypted product.
  featureScaleBits: z.number().int().min(0).max(20).default(8),
  // |x| ≤ clip after standardising: bounds |⟨d, x⟩| for the decryption budget and tames outliers.
  clip: z.number().positive().max(1_024).default(8),
});

export type VerticalTrainingSettings = z.infer<typeof verticalTrainingSettingsSchema>;
export type VerticalTrainingSettingsInput = z.input<typeof verticalTrainingSettingsSchema>;
export type VerticalOptimizer = VerticalTrainingSettings['optimizer'];
