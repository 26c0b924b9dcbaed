import { z } from 'zod';
import { ckksParametersSchema, THRESHOLD_DEFAULT_CKKS } from '../ckks/ckks-parameters.js';
import { psiSettingsSchema } from '../psi/settings.js';
import { verticalTrainingSettingsSchema } from './logistic/vertical-training-settings.js';
import { labelSpecSchema, partyFeatureSpecSchema } from './party-feature-spec.js';
import { COORDINATOR_SENDER } from './vertical-address.js';

// The job file of a vertical job: parties hold different columns about the same customers, aligned by
// private set intersection on an id column; one party (the label holder, usually the bank) holds the
// label. Strict objects everywhere: a misspelt field is an error naming it.

export const VERTICAL_JOB_KIND = 'vertical-logistic-regression';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-", at most 63 characters');

export const verticalPartySchema = z.strictObject({
  id: identifier,
  // The CSV column that identifies a customer (normalised per `psi.normalisation` before hashing).
  idColumn: z.string().min(1),
  features: partyFeatureSpecSchema,
  // Exactly one party holds the label; it also keeps the intercept.
  label: labelSpecSchema.optional(),
});

export const verticalJobSpecSchema = z
  .strictObject({
    kind: z.literal(VERTICAL_JOB_KIND),
    jobId: identifier,
    parties: z.array(verticalPartySchema).min(2).max(16),
    // Id normalisation (every party the same) and optional padding of the blinded lists (hides set sizes).
    psi: psiSettingsSchema.default({ normalisation: { trim: true, caseFold: false, removeCharacters: '', digitsOnly: false } }),
    training: verticalTrainingSettingsSchema.default(verticalTrainingSettingsSchema.parse({})),
    // After training, score the label holder's new customers (its node's scoringCsv) jointly: the
    // partners contribute encrypted partial scores for those of them they know; the label holder alone
    // learns the scores.
    scoring: z.boolean().default(false),
    federation: z
      .strictObject({
        joinDeadlineSeconds: z.number().positive().max(86_400).default(600),
        // How long any one step (a PSI hop, a batch, an evaluation) may wait for the slowest party.
        stepDeadlineSeconds: z.number().positive().max(86_400).default(300),
        // Derived from `parties` (a parsed job carries it, so it parses again); must match when given.
        participants: z.array(identifier).optional(),
      })
      .default({ joinDeadlineSeconds: 600, stepDeadlineSeconds: 300 }),
    custody: z
      .discriminatedUnion('mode', [
        z.strictObject({
          mode: z.literal('threshold'),
          smudgingSigmaBits: z.number().int().min(30).max(48).default(40),
          // A host that declared more features than this could use them to read labels (README).
          maxFeaturesPerParty: z.number().int().min(1).max(512).default(256),
          // Standard deviation of Gaussian noise the label holder adds to every row's residual, so a host
          // crafting features reads labels only through it (0: off; costs accuracy, README).
          labelNoiseSigma: z.number().min(0).max(4).default(0),
        }),
        // Encryption off: forward parts and gradients travel in plaintext, for the bench's baseline only;
        // every participant must allow it in its own config and `hefl audit verify` fails on it.
        z.strictObject({ mode: z.literal('none') }),
      ])
      .default({ mode: 'threshold', smudgingSigmaBits: 40, maxFeaturesPerParty: 256, labelNoiseSigma: 0 }),
    ckks: ckksParametersSchema.optional(),
  })
  .superRefine((job, ctx) => {
    const ids = job.parties.map((party) => party.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['parties'], message: 'party ids repeat' });
    // The coordinator's sums and ranks carry this sender id and no signature: a party by that name could pass off unsigned messages.
    if (ids.includes(COORDINATOR_SENDER)) ctx.addIssue({ code: 'custom', path: ['parties'], message: `"${COORDINATOR_SENDER}" is reserved for the coordinator's own messages` });
    if (job.federation.participants && job.federation.participants.join() !== ids.join()) {
      ctx.addIssue({ code: 'custom', path: ['federation', 'participants'], message: 'must list the parties in order (or be left out)' });
    }
    const labelled = job.parties.filter((party) => party.label !== undefined);
    if (labelled.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['parties'], message: `exactly one party must hold the label; ${labelled.length} do` });
    }
    for (const [index, party] of job.parties.entries()) {
      const names = [...party.features.numeric, ...party.features.categorical.map((column) => column.name), party.idColumn, ...(party.label ? [party.label.column] : [])];
      const seen = new Set<string>();
      for (const name of names) {
        if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['parties', index, 'features'], message: `column "${name}" is declared twice` });
        seen.add(name);
      }
      if (names.length === (party.label ? 2 : 1)) ctx.addIssue({ code: 'custom', path: ['parties', index, 'features'], message: 'declare at least one feature' });
      const featureCount = party.features.numeric.length + party.features.categorical.reduce((sum, column) => sum + column.categories.length, 0) + (party.label ? 1 : 0);
      if (job.custody.mode === 'threshold' && featureCount > job.custody.maxFeaturesPerParty) {
        ctx.addIssue({
          code: 'custom',
          path: ['parties', index, 'features'],
          message: `${featureCount} encoded features exceed custody.maxFeaturesPerParty (${job.custody.maxFeaturesPerParty})`,
        });
      }
    }
  })
  .transform((job) => ({
    ...job,
    ckks: job.ckks ?? ckksParametersSchema.parse(THRESHOLD_DEFAULT_CKKS),
    // The shape key folders, ledgers and the roster share with horizontal jobs.
    federation: { ...job.federation, participants: job.parties.map((party) => party.id) },
  }));

export type VerticalJobSpec = z.infer<typeof verticalJobSpecSchema>;
export type VerticalJobSpecInput = z.input<typeof verticalJobSpecSchema>;
export type VerticalParty = z.infer<typeof verticalPartySchema>;

/** The party that holds the label. */
export function labelHolder(job: VerticalJobSpec): VerticalParty & { label: NonNullable<VerticalParty['label']> } {
  const party = job.parties.find((candidate) => candidate.label !== undefined);
  if (!party?.label) throw new Error('a parsed vertical job always has a label holder');
  return party as VerticalParty & { label: NonNullable<VerticalParty['label']> };
}

/** Encoded feature count of a party (one-hot categoricals; the label holder's intercept counts). */
export function encodedFeatureCount(party: VerticalParty): number {
  return party.features.numeric.length + party.features.categorical.reduce((sum, column) => sum + column.categories.length, 0) + (party.label ? 1 : 0);
}
