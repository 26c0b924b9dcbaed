import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { GridGaussianNoise } from '../protocols/privacy/grid-gaussian-noise.js';
import { seededRandomSource } from '../protocols/privacy/random-source.js';
import { clientLevelUpdate, distributedGradientUpdate } from './distributed-noise-update.js';
import { buildModel } from './model/build-model.js';
import { clipAndSum, perExampleGradients } from './model/per-example-gradients.js';
import { trainLocally } from './model/train-locally.js';
import { setFlatWeights } from './model/unflatten-weights.js';

const WIDTH = 49; // 50 parameters
const ROWS = 40;
const next = createSeededRandom(7);
const features = Float32Array.from({ length: ROWS * WIDTH }, () => next() * 2 - 1);
const labels = Float32Array.from({ length: ROWS }, () => (next() < 0.5 ? 1 : 0));
const globalWeights = Float32Array.from({ length: WIDTH + 1 }, () => next() * 0.2 - 0.1);
const settings = { noiseMultiplier: 1.5, clipNorm: 0.5, noiseShares: 3 };

function variance(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
}

describe('distributed noise shares on an update', () => {
  it('distributed (FedSGD): −lr/B · (clipped gradient sum + share); Q shares sum to noise of std z·C', () => {
    const model = buildModel({ kind: 'logistic-regression' }, WIDTH);
    try {
      const training = { batchSize: ROWS, learningRate: 0.5 }; // q = 1: every row, so the clean sum is known
      setFlatWeights(model, globalWeights);
      const all = Int32Array.from({ length: ROWS }, (_, row) => row);
      const clipBound = new GridGaussianNoise({ clipNorm: settings.clipNorm, noiseMultiplier: 1, dimension: WIDTH + 1 }).clipBeforeRounding;
      const clean = clipAndSum(perExampleGradients(model, features, labels, WIDTH, all), clipBound);
      const input = { model, globalWeights, features, labels, rowCount: ROWS, width: WIDTH, round: 1 };
      const summed: number[] = [];
      const single: number[] = [];
      for (let trial = 0; trial < 120; trial += 1) {
        const total = new Float64Array(WIDTH + 1);
        for (let party = 0; party < settings.noiseShares; party += 1) {
          const { update, steps } = distributedGradientUpdate(input, settings, training, seededRandomSource(`share ${trial} ${party}`));
          expect(steps).toBe(1);
          update.forEach((value, index) => {
            const noise = (value * -training.batchSize) / training.learningRate - (clean[index] as number);
            total[index] = (total[index] as number) + noise;
            if (party === 0) single.push(noise);
          });
        }
        summed.push(...total);
      }
      // 6,000 summed coordinates: the variance estimate's standard error is ~1.8%.
      const target = (settings.noiseMultiplier * settings.clipNorm) ** 2;
      expect(Math.abs(variance(summed) / target - 1)).toBeLessThan(0.08);
      expect(Math.abs(variance(single) / (target / settings.noiseShares) - 1)).toBeLessThan(0.15);
    } finally {
      model.dispose();
    }
  });

  it('client-level: the local update clipped to C plus one share', async () => {
    const job = jobSpecSchema.parse({
      jobId: 'client-level',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['x'], label: { column: 'y', positive: 1, negative: 0 } },
      training: { rounds: 1, batchSize: 10, learningRate: 0.5, optimizer: 'sgd' },
      federation: { participants: ['a', 'b', 'c'], minParticipants: 3 },
    });
    const model = buildModel({ kind: 'logistic-regression' }, WIDTH);
    try {
      const input = { model, globalWeights, features, labels, rowCount: ROWS, width: WIDTH, round: 1 };
      const trained = await trainLocally({ ...input, settings: job.training });
      const delta = Array.from(trained.weights, (value, index) => value - (globalWeights[index] as number));
      const norm = Math.hypot(...delta);
      expect(norm).toBeGreaterThan(settings.clipNorm); // so the clipping matters
      const tight = { ...settings, noiseMultiplier: 1e-3, sampleRate: 1 };
      const { update } = await clientLevelUpdate(input, tight, job.training, seededRandomSource('client'));
      // Almost no noise: the update is the delta scaled down to norm C (less the grid margin).
      const scale = settings.clipNorm / norm;
      update.forEach((value, index) => expect(Math.abs(value - (delta[index] as number) * scale)).toBeLessThan(2e-3)); // share std z·C/√3 ≈ 3e-4
      expect(Math.hypot(...update)).toBeLessThanOrEqual(settings.clipNorm * (1 + 1e-3));
    } finally {
      model.dispose();
    }
  });

  it('client-level with clientSampleRate q: the update joins with probability q (scaled by 1/q), the share always', async () => {
    const job = jobSpecSchema.parse({
      jobId: 'client-sampled',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['x'], label: { column: 'y', positive: 1, negative: 0 } },
      training: { rounds: 1, batchSize: 10, learningRate: 0.5, optimizer: 'sgd', differentialPrivacy: { mechanism: 'client-level', noiseMultiplier: 1, clientSampleRate: 0.5 } },
      federation: { participants: ['a', 'b', 'c'], minParticipants: 3 },
    });
    expect(() => jobSpecSchema.parse({ ...job, training: { ...job.training, differentialPrivacy: { noiseMultiplier: 1, clientSampleRate: 0.5 } } })).toThrow(/client-level only/);
    const model = buildModel({ kind: 'logistic-regression' }, WIDTH);
    try {
      const input = { model, globalWeights, features, labels, rowCount: ROWS, width: WIDTH, round: 1 };
      const tiny = { ...settings, noiseMultiplier: 1e-4, sampleRate: 0.5 };
      const norms: number[] = [];
      for (let trial = 0; trial < 40; trial += 1) norms.push(Math.hypot(...(await clientLevelUpdate(input, tiny, job.training, seededRandomSource(`coin ${trial}`))).update));
      const joined = norms.filter((norm) => norm > settings.clipNorm);
      // Joined: the clipped delta ×2 (norm 2C); left out: the share alone, ×2 (norm ~2·1e-4·C/√3·√50).
      joined.forEach((norm) => expect(norm).toBeCloseTo(2 * settings.clipNorm, 2));
      norms.filter((norm) => norm <= settings.clipNorm).forEach((norm) => expect(norm).toBeLessThan(0.01));
      expect(joined.length).toBeGreaterThan(8);
      expect(joined.length).toBeLessThan(32);
    } finally {
      model.dispose();
    }
  });
});
