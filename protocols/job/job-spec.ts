import { z } from 'zod';

// Every object is strict: a misspelt field (say "localEpoch") is an error naming it, not a silent default.

/**
 * The job file a bank data team writes. Everything a participant needs to train is in here and is
 * sent to participants when they join, so a partner's node config only names its own CSV, id,
 * key folder and the coordinator address.
 */

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-", at most 63 characters');

const denseLayer = z.strictObject({
  type: z.literal('dense'),
  units: z.number().int().min(1).max(4096),
  activation: z.enum(['relu', 'sigmoid', 'tanh', 'linear']).default('relu'),
});

export const modelSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('logistic-regression') }),
  z.strictObject({
    kind: z.literal('sequential'),
    // Hidden layers; HEFL appends the sigmoid output unit for the binary label itself.
    hiddenLayers: z.array(denseLayer).min(1).max(16),
  }),
]);

export const featureSchemaSchema = z
  .strictObject({
    numeric: z.array(z.string().min(1)).default([]),
    categorical: z
      .array(z.strictObject({ name: z.string().min(1), categories: z.array(z.string()).min(1) }))
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

export const ckksParametersSchema = z
  .strictObject({
    polyModulusDegree: z.union([z.literal(4096), z.literal(8192), z.literal(16384), z.literal(32768)]).default(8192),
    coeffModulusBits: z.array(z.number().int().min(20).max(60)).min(1).max(16).default([60, 40, 40, 60]),
    // Scales above 60 bits are for threshold decryption, whose smudging noise needs the headroom.
    scaleBits: z.number().int().min(20).max(120).default(40),
  })
  .superRefine((parameters, ctx) => {
    const dataPrimes = parameters.coeffModulusBits.length > 1 ? parameters.coeffModulusBits.slice(0, -1) : parameters.coeffModulusBits;
    const dataBits = dataPrimes.reduce((sum, bits) => sum + bits, 0);
    // Weighted updates need headroom above the scale: value * 2^scale must stay below the data modulus.
    if (dataBits < parameters.scaleBits + 20) {
      ctx.addIssue({
        code: 'custom',
        path: ['coeffModulusBits'],
        message: `the data primes (all but the last, when there are several) total ${dataBits} bits; they need at least scaleBits + 20 = ${parameters.scaleBits + 20}`,
      });
    }
  });

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

export const federationSchema = z
  .strictObject({
    participants: z.array(identifier).min(1).max(1_000),
    minParticipants: z.number().int().min(1),
    roundDeadlineSeconds: z.number().positive().max(86_400).default(300),
    joinDeadlineSeconds: z.number().positive().max(86_400).default(600),
    // A failed round (below quorum, or a decryption share missing) runs again this many times,
    // waiting for nodes to rejoin, before the job stops; the previous model stays in force meanwhile.
    roundRetries: z.number().int().min(0).max(5).default(1),
  })
  .superRefine((federation, ctx) => {
    if (new Set(federation.participants).size !== federation.participants.length) {
      ctx.addIssue({ code: 'custom', path: ['participants'], message: 'participant ids repeat' });
    }
    if (federation.minParticipants > federation.participants.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['minParticipants'],
        message: `is ${federation.minParticipants} but only ${federation.participants.length} participants are listed`,
      });
    }
  });

/** CKKS defaults per custody mode; both pass SEAL's 128-bit check. */
/**
 * Single key: add-only aggregation never rescales, so the smallest chain that holds the values will do:
 * two 40-bit data primes over a 2^40 scale decode chunks whose values' magnitudes sum to ~2^50 (the
 * bank data's round-0 statistics sum to ~2^41), with a 60-bit special prime; 140 bits in all. With the
 * secret key the participants encrypt symmetrically (c1 as a seed): ~12 bytes per parameter.
 */
export const SINGLE_KEY_DEFAULT_CKKS = { polyModulusDegree: 8192, coeffModulusBits: [40, 40, 60], scaleBits: 40 } as const;
/**
 * Threshold decryption floods each partial decryption with ~2^40 noise, so the scale must sit far
 * above it: 2^72 keeps ~3e-8 precision; two 55-bit data primes hold chunks whose values sum to ~2^48
 * in magnitude, and the 60-bit prime is SEAL's special prime (see threshold-parameters.ts).
 */
export const THRESHOLD_DEFAULT_CKKS = { polyModulusDegree: 8192, coeffModulusBits: [55, 55, 60], scaleBits: 72 } as const;

export const custodySchema = z.discriminatedUnion('mode', [
  z.strictObject({
    // N-of-N threshold CKKS: no single party (coordinator or participant) can decrypt an update.
    mode: z.literal('threshold'),
    // The coordinator relays every signed contribution so participants can re-sum them before they
    // decrypt; on by default, and a node whose privacy policy requires it refuses a job without it.
    verifyAggregate: z.boolean().default(true),
    // Standard deviation (log2) of each party's smudging noise on a partial decryption.
    smudgingSigmaBits: z.number().int().min(30).max(48).default(40),
  }),
  z.strictObject({
    // One CKKS key pair made offline; every participant holds the secret key (weaker; see README).
    mode: z.literal('single-key'),
  }),
  z.strictObject({
    // Homomorphic encryption switched off: updates travel as float32 and the coordinator sees each one.
    // The baseline that `npm run bench` measures HE against, never for real data: every participant
    // must allow it in its own config (allowUnencryptedUpdates), its ledger records each such update
    // as "plaintext", and `hefl audit verify` fails on it.
    mode: z.literal('none'),
  }),
]);

export const jobSpecSchema = z
  .strictObject({
    jobId: identifier,
    model: modelSpecSchema,
    features: featureSchemaSchema,
    training: trainingSchema,
    federation: federationSchema,
    custody: custodySchema.default({ mode: 'threshold', verifyAggregate: true, smudgingSigmaBits: 40 }),
    ckks: ckksParametersSchema.optional(),
  })
  .transform((job) => ({
    ...job,
    ckks: job.ckks ?? ckksParametersSchema.parse(job.custody.mode === 'threshold' ? THRESHOLD_DEFAULT_CKKS : SINGLE_KEY_DEFAULT_CKKS),
  }))
  .superRefine((job, ctx) => {
    if (job.custody.mode === 'threshold' && job.ckks.scaleBits < job.custody.smudgingSigmaBits + 30) {
      ctx.addIssue({
        code: 'custom',
        path: ['ckks', 'scaleBits'],
        message: `threshold custody needs scaleBits >= smudgingSigmaBits + 30 (${job.custody.smudgingSigmaBits + 30}) to keep precision`,
      });
    }
    if (job.custody.mode === 'threshold' && job.federation.participants.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['federation', 'participants'], message: 'threshold custody needs at least 2 participants' });
    }
  });

export type JobSpec = z.infer<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type FeatureSchema = z.infer<typeof featureSchemaSchema>;
export type CkksParameters = z.infer<typeof ckksParametersSchema>;
export type Custody = z.infer<typeof custodySchema>;
export type TrainingSettings = z.infer<typeof trainingSchema>;
export type FederationSettings = z.infer<typeof federationSchema>;
