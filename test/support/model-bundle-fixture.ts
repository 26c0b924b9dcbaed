import type * as tf from '@tensorflow/tfjs';
import { featureWidth } from '../../protocols/data/feature-width.js';
import { jobSpecSchema, type JobSpec } from '../../protocols/job/job-spec.js';
import type { ModelSpec } from '../../protocols/model/model-spec.js';
import { buildModel } from '../../participant/model/build-model.js';
import { modelShapes } from '../../participant/model/model-shapes.js';
import { setFlatWeights } from '../../participant/model/unflatten-weights.js';
import { writeModelBundle } from '../../participant/write-model-bundle.js';

/**
 * A job with numeric columns (one of them constant in training: std 0) and categorical ones (one
 * with numeric-looking categories), for tests that write a model bundle and score rows with it.
 */
export function fixtureJob(model: ModelSpec, missing?: object): JobSpec {
  return jobSpecSchema.parse({
    jobId: 'bundle-fixture',
    model,
    features: {
      numeric: ['age', 'balance', 'flat'],
      categorical: [
        { name: 'job', categories: ['admin.', 'student', 'retired'] },
        { name: 'tier', categories: [1, 2, 3] },
      ],
      label: { column: 'y', positive: 'yes', negative: 'no' },
      ignored: ['note'],
      ...(missing ? { missing } : {}),
    },
    training: { rounds: 1 },
    federation: { participants: ['bank', 'shop'], minParticipants: 2 },
  });
}

export const FIXTURE_STANDARDIZATION = { means: Float64Array.from([41.5, 15200.25, 7]), stds: Float64Array.from([10.2, 40044.7, 0]) };

/** Rows to score: no label column, an id column, a large balance, every category. */
export const FIXTURE_ROWS_CSV = [
  'customer_id;age;balance;flat;job;tier;note',
  'c1;30;100;7;student;1;a',
  'c2;61;-3.5;7;retired;2;b',
  'c3;42;123456.78;7;admin.;3;c',
  'c4;18.5;0;7;student;3;d',
  'c5;77;98765.4321;7;admin.;1;e',
  'c6;50;2500;7;retired;2;f',
  '',
].join('\n');

/** A policy for every kind of missing-value handling (features.missing), and rows that need each. */
export const FIXTURE_MISSING = {
  markers: ['', 'NA'],
  columns: { age: { fill: 40 }, balance: { fill: 'mean', indicator: true }, job: { fill: 'missing-category' }, tier: { fill: 2, indicator: true } },
};

export const FIXTURE_ROWS_WITH_MISSING_CSV = [
  'customer_id;age;balance;flat;job;tier;note',
  'c1;30;100;7;student;1;a',
  'c2;;NA;7;;NA;b',
  'c3;42;;7;admin.;;c',
  'c4;NA;98765.4321;7;NA;3;d',
  'c5;77;-12;7;retired;;e',
  'c6;;2500;7;;2;f',
  '',
].join('\n');

/** Deterministic weights in [-1.5, 1.5) (mulberry32), all nonzero in practice. */
function seededWeights(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length }, () => (next() - 0.5) * 3);
}

/** Builds the job's model with seeded weights and writes its bundle; the caller disposes the model. */
export async function writeFixtureBundle(spec: ModelSpec, directory: string, seed = 7, missing?: object): Promise<{ job: JobSpec; model: tf.LayersModel }> {
  const job = fixtureJob(spec, missing);
  const model = buildModel(spec, featureWidth(job.features));
  setFlatWeights(model, seededWeights(modelShapes(model).totalLength, seed));
  await writeModelBundle(model, job, FIXTURE_STANDARDIZATION, directory);
  return { job, model };
}
