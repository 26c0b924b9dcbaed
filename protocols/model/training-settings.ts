import { z } from 'zod';

// Strict: a misspelt field is an error naming it, not a silent default (as everywhere in the job file).

const decay = z.number().min(0).lt(1);
const serverLearningRate = z.number().positive().max(100);

function adaptive<Kind extends 'fedadagrad' | 'fedadam' | 'fedyogi'>(kind: Kind) {
  return z.strictObject({
    kind: z.literal(kind),
    learningRate: serverLearningRate.default(0.01),
    beta1: decay.default(0.9),
    beta2: decay.default(0.99),
    tau: z.number().positive().max(1).default(1e-3),
  });
}

/**
 * How the participants turn the decrypted average delta (the pseudo-gradient) into the next global
 * model, after Reddi et al., "Adaptive Federated Optimization" (ICLR 2021), Algorithm 2. Every
 * participant applies the same step to the same decrypted sum; the coordinator never sees the average.
 * Absent means `fedavg` (global + average delta), so existing job files and their hashes are unchanged.
 */
export const serverOptimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fedavg') }),
  // m = momentum·m + Δ; x = x + η·m (FedAvgM; η = 1, momentum = 0 is FedAvg).
  z.strictObject({ kind: z.literal('fedavgm'), learningRate: serverLearningRate.default(1), momentum: decay.default(0.9) }),
  // m = β1·m + (1−β1)·Δ; v per kind; x = x + η·m / (√v + τ); v starts at τ², m at 0; no bias correction.
  adaptive('fedadagrad'),
  adaptive('fedadam'),
  adaptive('fedyogi'),
]);

export type ServerOptimizerSettings = z.infer<typeof serverOptimizerSchema>;

/**
 * `training.differentialPrivacy`: record-level DP-SGD (Abadi et al., CCS 2016) in every participant
 * (participant/model/train-dp-sgd.ts). Each step trains on a Poisson sample of the node's rows with
 * rate q = batchSize / rows (so q differs per node), clips each example's gradient to `clipNorm` and adds
 * N(0, z²C²) noise drawn exactly from a CSPRNG. Each node accounts its own ε (RDP, Balle et al. 2020
 * conversion) from its q, z and steps = rounds × ⌈localEpochs · rows / batchSize⌉. Absent = no DP.
 */
export const differentialPrivacySchema = z
  .strictObject({
    /** `record-level`: each participant runs DP-SGD; the guarantee holds against everyone else together. */
    mechanism: z.literal('record-level').default('record-level'),
    /** z: noise std z·C on each step's summed clipped gradients. Give this or `targetEpsilon`. */
    noiseMultiplier: z.number().positive().max(1_000).optional(),
    /** Instead of z: each node picks the smallest z whose ε over the whole job stays at or below this (at `delta`). */
    targetEpsilon: z.number().positive().max(1_000).optional(),
    /** C: per-example L2 clipping norm of the gradient. */
    clipNorm: z.number().positive().max(1e6).default(1),
    /** δ at which ε is stated (a node's own `privacy.delta` overrides it for that node's budget). */
    delta: z.number().gt(0).lt(0.5).default(1e-5),
  })
  .refine((dp) => (dp.noiseMultiplier === undefined) !== (dp.targetEpsilon === undefined), {
    message: 'give exactly one of noiseMultiplier and targetEpsilon',
  });

export type DifferentialPrivacySettings = z.infer<typeof differentialPrivacySchema>;

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
  // The server step every participant applies to the decrypted average delta; absent = plain FedAvg.
  serverOptimizer: serverOptimizerSchema.optional(),
  // FedProx (Li et al. 2020): μ/2·‖w − w_global‖² added to the local loss; absent or 0 = off.
  fedProx: z.strictObject({ mu: z.number().min(0).max(1_000) }).optional(),
  // End the job early once the federated held-out AUC has not improved for this many training rounds.
  stopAfterRoundsWithoutImprovement: z.number().int().min(1).max(10_000).optional(),
  // Record-level DP-SGD in every participant (above); absent = no differential privacy.
  differentialPrivacy: differentialPrivacySchema.optional(),
}).refine((training) => !(training.differentialPrivacy && training.fedProx && training.fedProx.mu > 0), {
  message: 'differentialPrivacy and fedProx cannot be combined (DP-SGD trains without the proximal term)',
  path: ['fedProx'],
});

export type TrainingSettings = z.infer<typeof trainingSchema>;
