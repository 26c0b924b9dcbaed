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
 * `training.differentialPrivacy`, in one of three mechanisms (design note §3.1):
 *
 * - `record-level` (default): DP-SGD (Abadi et al., CCS 2016) in every participant
 *   (participant/model/train-dp-sgd.ts). Each step trains on a Poisson sample of the node's rows with
 *   rate q = batchSize / rows (so q differs per node), clips each example's gradient to `clipNorm` and
 *   adds N(0, z²C²) noise drawn exactly from a CSPRNG; steps = rounds × ⌈localEpochs · rows / batchSize⌉.
 *   The guarantee holds against the coordinator and all other participants together.
 * - `distributed`: record-level, FedSGD-style (participant/distributed-noise-update.ts): each round
 *   every node sends one clipped per-example gradient sum over a Poisson sample (q = batchSize / rows)
 *   plus its share N(0, z²C²/Q) of the noise, Q = federation.minParticipants, so only the decrypted
 *   sum of at least Q shares carries the full z·C; one step per round. ε is stated twice: without
 *   collusion (z) and with every other participant colluding (z/√Q). Needs threshold custody.
 * - `client-level`: DP-FedAvg (McMahan et al., ICLR 2018): each node's whole update after its local
 *   epochs is clipped to `clipNorm` and carries a noise share N(0, z²C²/Q). With `clientSampleRate`
 *   q < 1 each node joins a round's sum with probability q, secretly (it sends its noise share either
 *   way, so nobody learns whether it took part); the accountant then amplifies by q. ε protects a whole
 *   institution's data and is meaningful only for federations of many participants. Needs threshold custody.
 *
 * Each node accounts its own ε (RDP, Balle et al. 2020 conversion). Absent = no DP.
 */
export const DP_MECHANISMS = ['record-level', 'distributed', 'client-level'] as const;

export const differentialPrivacySchema = z
  .strictObject({
    /** Where the noise is added and what it protects (above); `record-level` by default. */
    mechanism: z.enum(DP_MECHANISMS).default('record-level'),
    /** z: total noise std z·C on each released sum. Give this or `targetEpsilon`. */
    noiseMultiplier: z.number().positive().max(1_000).optional(),
    /** Instead of z: each node picks the smallest z whose ε over the whole job (without collusion) stays at or below this (at `delta`). */
    targetEpsilon: z.number().positive().max(1_000).optional(),
    /** C: L2 clipping norm of one example's gradient (record-level, distributed) or of one node's update (client-level). */
    clipNorm: z.number().positive().max(1e6).default(1),
    /** δ at which ε is stated (a node's own `privacy.delta` overrides it for that node's budget). */
    delta: z.number().gt(0).lt(0.5).default(1e-5),
    /** client-level only: each node's update joins a round's sum with this probability (default 1: always). */
    clientSampleRate: z.number().gt(0).max(1).optional(),
  })
  .refine((dp) => (dp.noiseMultiplier === undefined) !== (dp.targetEpsilon === undefined), {
    message: 'give exactly one of noiseMultiplier and targetEpsilon',
  })
  .refine((dp) => dp.clientSampleRate === undefined || dp.mechanism === 'client-level', {
    message: 'clientSampleRate is for mechanism client-level only (record-level and distributed sample rows at q = batchSize / rows)',
    path: ['clientSampleRate'],
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
  // Differential privacy (above); absent = none.
  differentialPrivacy: differentialPrivacySchema.optional(),
}).refine((training) => !(training.differentialPrivacy && training.fedProx && training.fedProx.mu > 0), {
  message: 'differentialPrivacy and fedProx cannot be combined (DP-SGD trains without the proximal term)',
  path: ['fedProx'],
});

export type TrainingSettings = z.infer<typeof trainingSchema>;
