import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import type { PrivacySpentFields } from '../protocols/ledger/privacy-spent.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
import { accountantFileBeside } from './dp-accountant-file.js';
import { chooseLocalTrainer, PrivacyBudgetError } from './local-trainer.js';
import { buildModel } from './model/build-model.js';
import { initialWeights } from './model/initial-weights.js';
import type { ParticipantNode, ParticipantOptions } from './participant-options.js';
import { privacyPolicySchema } from './privacy-policy.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

const ROWS = 400;
const job = jobSpecSchema.parse({
  jobId: 'trainer',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['a', 'b'], label: { column: 'y', positive: 1, negative: 0 } },
  training: { rounds: 2, batchSize: 40, learningRate: 0.05, optimizer: 'sgd', differentialPrivacy: { noiseMultiplier: 1.2 } },
  federation: { participants: ['bank', 'shop'], minParticipants: 2 },
});

function nodeWith(options: Partial<ParticipantOptions>): ParticipantNode {
  return { options: { participantId: 'bank', jobId: 'trainer', ...options } as ParticipantOptions, logger: pino({ level: 'silent' }), strategy: federatedAveraging };
}

function data(): { features: Float32Array; labels: Float32Array } {
  const features = Float32Array.from({ length: ROWS * 2 }, (_, index) => Math.sin(index * 12.9898) * 2);
  const labels = Float32Array.from({ length: ROWS }, (_, row) => ((features[row * 2] as number) - (features[row * 2 + 1] as number) > 0 ? 1 : 0));
  return { features, labels };
}

describe('the local trainer chosen from the job', () => {
  it('DP-SGD: records ε per round, keeps its accountant beside the state file, and a restarted node continues from it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-trainer-'));
    const stateFile = join(directory, 'state', 'participant-state.json');
    const spent: PrivacySpentFields[] = [];
    const node = nodeWith({ stateFile, onPrivacySpent: (fields) => spent.push(fields) });
    const model = buildModel(job.model, 2);
    try {
      const trainer = await chooseLocalTrainer(node, job, ROWS);
      const globalWeights = initialWeights(model, 1);
      const result = await trainer.train({ model, globalWeights, ...data(), rowCount: ROWS, width: 2, round: 1 });
      expect(result.sampleCount).toBe(ROWS);
      expect(result.meanLoss).toBe(0);
      expect(Array.from(result.weights)).not.toEqual(Array.from(globalWeights));
      const oneRound = computeEpsilon({ noiseMultiplier: 1.2, sampleRate: 0.1, steps: 10, delta: 1e-5 });
      expect(spent).toEqual([expect.objectContaining({ round: 1, steps: 10, roundSteps: 10, sampleRate: 0.1, noiseMultiplier: 1.2, clipNorm: 1, delta: 1e-5 })]);
      expect(spent[0]?.epsilon).toBeCloseTo(oneRound, 10);
      expect(JSON.parse(await readFile(accountantFileBeside(stateFile), 'utf8')).accountant.history).toEqual([{ noiseMultiplier: 1.2, sampleRate: 0.1, steps: 10 }]);

      const restarted = await chooseLocalTrainer(nodeWith({ stateFile }), job, ROWS);
      expect(restarted.privacySummary()).toMatchObject({ steps: 10, epsilon: spent[0]?.epsilon });
    } finally {
      model.dispose();
    }
  });

  it('DP-SGD with a budget of one round: the second round is not trained (PrivacyBudgetError) and records nothing', async () => {
    const oneRoundJob = jobSpecSchema.parse({ ...job, training: { ...job.training, rounds: 1 } });
    const budget = computeEpsilon({ noiseMultiplier: 1.2, sampleRate: 0.1, steps: 10, delta: 1e-5 });
    const spent: PrivacySpentFields[] = [];
    const node = nodeWith({ privacy: privacyPolicySchema.parse({ maxEpsilon: budget + 1e-9 }), onPrivacySpent: (fields) => spent.push(fields) });
    const model = buildModel(job.model, 2);
    try {
      const trainer = await chooseLocalTrainer(node, oneRoundJob, ROWS);
      const input = { model, globalWeights: initialWeights(model, 1), ...data(), rowCount: ROWS, width: 2 };
      await trainer.train({ ...input, round: 1 });
      await expect(trainer.train({ ...input, round: 2 })).rejects.toBeInstanceOf(PrivacyBudgetError);
      expect(spent.map((fields) => fields.round)).toEqual([1]);
      // And a plain job gives the plain trainer: no ε.
      const plain = await chooseLocalTrainer(nodeWith({}), jobSpecSchema.parse({ ...job, training: { ...job.training, differentialPrivacy: undefined } }), ROWS);
      expect(plain.privacySummary()).toBeUndefined();
    } finally {
      model.dispose();
    }
  });
});
