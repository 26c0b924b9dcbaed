import type { TrainingSettings } from '../protocols/model/training-settings.js';
import { GridGaussianNoise, poissonSample } from '../protocols/privacy/grid-gaussian-noise.js';
import { type RandomSource, RandomWords } from '../protocols/privacy/random-source.js';
import { clipAndSum, perExampleGradients } from './model/per-example-gradients.js';
import { type LocalTrainingInput, trainLocally } from './model/train-locally.js';
import { setFlatWeights } from './model/unflatten-weights.js';

/**
 * The two mechanisms whose noise is split among the participants (design note §3.1, M2 and M3): each
 * node adds only its share D_{Z, zC/√Q} (exact discrete Gaussian on the grid γ = C·2^-20, from the
 * CSPRNG; grid-gaussian-noise.ts) to its clipped contribution before encryption, Q = the job's quorum,
 * so the decrypted sum of at least Q contributions carries noise of std z·C or more and no single
 * contribution is ever decrypted (threshold custody). What each returns is the update delta to send as
 * is, with the public weight 1 (a row count would be a sensitivity the noise does not cover).
 *
 * Against the coordinator and any Q − 1 other participants together, only this node's own share
 * protects its contribution: ε(z/√Q). Without collusion the ε of z·C on the sum assumes the sum is
 * exact; each share passes alone through the CKKS encoding (rounding at scale 2^40 and above, ~2^-40
 * of a value), a per-share error treated as negligible, as the design note does.
 */
export interface NoiseShareSettings {
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  /** Q: the noise is split into this many shares (federation.minParticipants). */
  readonly noiseShares: number;
}

/** What the round loop hands over: the global model and this node's training rows. */
export type NoisyUpdateInput = Omit<LocalTrainingInput, 'settings' | 'onEpochEnd'>;

/** The delta to send and how many clipped-gradient steps it accounts for. */
export interface NoisyUpdate {
  readonly update: Float64Array;
  readonly steps: number;
}

function noiseFor(settings: NoiseShareSettings, dimension: number, source: RandomSource | undefined): GridGaussianNoise {
  return new GridGaussianNoise({ clipNorm: settings.clipNorm, noiseMultiplier: settings.noiseMultiplier, dimension, parties: settings.noiseShares, ...(source ? { source } : {}) });
}

/** Rounds a clipped vector to the grid, adds this node's noise share, and scales it (post-processing). */
function noisyShare(clipped: Float64Array, noise: GridGaussianNoise, scale: number): Float64Array {
  const units = noise.addNoiseInGridUnits(noise.roundToGrid(clipped));
  const values = noise.toValues(units);
  units.fill(0);
  for (let index = 0; index < values.length; index += 1) values[index] = (values[index] as number) * scale;
  return values;
}

/**
 * `distributed` (record-level, FedSGD): one Poisson sample of the node's rows (q = batchSize / rows),
 * per-example gradients at the global model clipped to C and summed, plus the noise share; sent as
 * −learningRate / batchSize times that, so the federation's average delta is one SGD step on the mean
 * of the nodes' noisy gradient sums, each over its expected batch.
 */
export function distributedGradientUpdate(
  input: NoisyUpdateInput,
  settings: NoiseShareSettings,
  training: Pick<TrainingSettings, 'batchSize' | 'learningRate'>,
  source?: RandomSource,
): NoisyUpdate {
  const { model, globalWeights, features, labels, rowCount, width } = input;
  if (training.batchSize > rowCount) throw new RangeError(`batch size ${training.batchSize} exceeds the ${rowCount} rows (sampling rate above 1)`);
  setFlatWeights(model, globalWeights);
  const noise = noiseFor(settings, globalWeights.length, source);
  const rows = poissonSample(rowCount, training.batchSize / rowCount, new RandomWords(source));
  const perExample = perExampleGradients(model, features, labels, width, rows);
  const clippedSum = clipAndSum(perExample, noise.clipBeforeRounding);
  perExample.values.fill(0);
  const update = noisyShare(clippedSum, noise, -training.learningRate / training.batchSize);
  clippedSum.fill(0);
  return { update, steps: 1 };
}

/**
 * `client-level` (DP-FedAvg): the node's local epochs as without DP, then its whole update delta
 * (float64) clipped to C and the noise share added. With `sampleRate` q < 1 the clipped delta joins
 * only with probability q (a CSPRNG coin; the node trains and sends its share either way, so neither
 * its upload nor its timing says whether it took part), and the share is scaled by 1/q (public, so
 * post-processing) to keep the average unbiased. One accounted step per round at rate q.
 */
export async function clientLevelUpdate(
  input: NoisyUpdateInput,
  settings: NoiseShareSettings & { readonly sampleRate: number },
  training: TrainingSettings,
  source?: RandomSource,
): Promise<NoisyUpdate> {
  const trained = await trainLocally({ ...input, settings: training });
  const noise = noiseFor(settings, input.globalWeights.length, source);
  const joins = settings.sampleRate >= 1 || new RandomWords(source).bernoulliSampler(settings.sampleRate)();
  const delta = Float64Array.from(trained.weights, (value, index) => value - (input.globalWeights[index] as number));
  trained.weights.fill(0);
  const norm = Math.sqrt(delta.reduce((sum, value) => sum + value * value, 0));
  if (!Number.isFinite(norm)) throw new Error(`local training diverged; lower the learning rate (now ${training.learningRate})`);
  const factor = joins ? (norm > noise.clipBeforeRounding ? noise.clipBeforeRounding / norm : 1) : 0;
  for (let index = 0; index < delta.length; index += 1) delta[index] = (delta[index] as number) * factor;
  const update = noisyShare(delta, noise, 1 / settings.sampleRate);
  delta.fill(0);
  return { update, steps: 1 };
}
