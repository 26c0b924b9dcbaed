import { z } from 'zod';
import { ckksParametersSchema, SINGLE_KEY_DEFAULT_CKKS, THRESHOLD_DEFAULT_CKKS } from '../ckks/ckks-parameters.js';
import { featureSchemaSchema } from '../data/feature-schema.js';
import { modelSpecSchema } from '../model/model-spec.js';
import { trainingSchema } from '../model/training-settings.js';

// Each part's schema lives with the code that uses it (CKKS parameters in protocols/ckks/, the feature
// schema in protocols/data/, model and training in protocols/model/); this file composes them into the
// job file and re-exports them.
export { ckksParametersSchema, SINGLE_KEY_DEFAULT_CKKS, THRESHOLD_DEFAULT_CKKS, type CkksParameters } from '../ckks/ckks-parameters.js';
export { featureSchemaSchema, type FeatureSchema } from '../data/feature-schema.js';
export { modelSpecSchema, type ModelSpec } from '../model/model-spec.js';
export { trainingSchema, type TrainingSettings } from '../model/training-settings.js';

// Every object is strict: a misspelt field (say "localEpoch") is an error naming it, not a silent default.

/**
 * The job file a bank data team writes. Everything a participant needs to train is in here and is
 * sent to participants when they join, so a partner's node config only names its own CSV, id,
 * key folder and the coordinator address.
 */

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-", at most 63 characters');

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

export const custodySchema = z.discriminatedUnion('mode', [
  z.strictObject({
    // N-of-N threshold CKKS: no single party (coordinator or participant) can decrypt an update.
    mode: z.literal('threshold'),
    // The coordinator relays every signed contribution so participants can re-sum them before they
    // decrypt; on by default, and a node whose privacy policy requires it refuses a job without it.
    verifyAggregate: z.boolean().default(true),
    // Standard deviation (log2) of each party's smudging noise on a partial decryption.
    smudgingSigmaBits: z.number().int().min(30).max(48).default(40),
    // t-of-N: any `threshold` participants decrypt together, so a round survives N − t absent nodes,
    // and any t colluding participants can decrypt an individual update (the collusion bound is t − 1).
    // Omitted: t = N, the N-of-N protocol unchanged (no job file silently loses collusion resistance).
    threshold: z.number().int('must be a whole number').min(2, 'must be at least 2: with 1, any single participant could decrypt alone').max(1_000).optional(),
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
    const participants = job.federation.participants.length;
    if (job.custody.mode === 'threshold' && job.custody.threshold !== undefined && job.custody.threshold > participants) {
      ctx.addIssue({
        code: 'custom',
        path: ['custody', 'threshold'],
        message: `is ${job.custody.threshold} but only ${participants} participants are listed; use 2..${participants} (or omit it for all ${participants})`,
      });
    }
    if (job.custody.mode === 'threshold' && (job.custody.threshold ?? participants) < participants && !job.custody.verifyAggregate) {
      ctx.addIssue({
        code: 'custom',
        path: ['custody', 'verifyAggregate'],
        message: 'must stay on under t-of-N custody (custody.threshold below the number of participants): a committee member must check what it decrypts',
      });
    }
  });

/**
 * How many participants decrypt together under threshold custody: `custody.threshold`, or every
 * participant (N-of-N) when it is omitted; undefined for the other custody modes.
 */
export function decryptionThreshold(job: Pick<JobSpec, 'custody' | 'federation'>): number | undefined {
  if (job.custody.mode !== 'threshold') return undefined;
  return job.custody.threshold ?? job.federation.participants.length;
}

/** Threshold custody with t < N: the t-of-N protocol (resharing at setup, a committee per decryption). */
export function usesTofnCustody(job: Pick<JobSpec, 'custody' | 'federation'>): boolean {
  const threshold = decryptionThreshold(job);
  return threshold !== undefined && threshold < job.federation.participants.length;
}

export type JobSpec = z.infer<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;
export type Custody = z.infer<typeof custodySchema>;
export type FederationSettings = z.infer<typeof federationSchema>;
