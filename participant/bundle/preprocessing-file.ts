import { z } from 'zod';
import { featureSchemaSchema } from '../../protocols/data/feature-schema.js';
import { ConfigError } from '../../protocols/errors.js';
import type { Standardization } from '../data/standardization-from-totals.js';

export const PREPROCESSING_FILE = 'preprocessing.json';

/** preprocessing.json of a model bundle: how raw CSV rows become the model's input. */
export const preprocessingSchema = z
  .object({
    format: z.literal('hefl-preprocessing/1'),
    jobId: z.string(),
    features: featureSchemaSchema,
    featureNames: z.array(z.string()),
    // Federated standardization: means and standard deviations over all participants' rows.
    numericMeans: z.array(z.number()),
    numericStds: z.array(z.number().min(0)),
  })
  .refine((file) => file.numericMeans.length === file.features.numeric.length && file.numericStds.length === file.features.numeric.length, {
    message: 'numericMeans and numericStds need one value per numeric feature',
  });

export type Preprocessing = z.infer<typeof preprocessingSchema>;

/** The preprocessing a bundle's rows need, validated; `source` names the file in errors. */
export function parsePreprocessing(text: string, source: string): Preprocessing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${source}: not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = preprocessingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${source}: not a HEFL preprocessing file: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

export function standardizationOf(preprocessing: Preprocessing): Standardization {
  return { means: Float64Array.from(preprocessing.numericMeans), stds: Float64Array.from(preprocessing.numericStds) };
}
