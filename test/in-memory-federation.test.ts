import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { roundsWithoutImprovement } from '../coordinator/early-stopping.js';
import { Participant } from '../participant/participant.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import type { JobSpecInput } from '../protocols/job/job-spec.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { InMemoryFederationConnection } from './support/in-memory-connection.js';
import { replayPlainFederatedAveraging } from './support/replay-plain-federated-averaging.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** A threshold-custody federation of `count` participants through InMemoryFederationConnection. */
async function runInMemory(jobId: string, count: number, training?: JobSpecInput['training'], options: { evaluateOnOwnRows?: boolean } = {}) {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-in-memory-'));
  directories.push(directory);
  const { ids, files } = await writeParticipantSlices(join(directory, 'data'), count, 200);
  const job = bankJob({
    jobId,
    federation: { participants: ids, minParticipants: count, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    ...(training ? { training } : {}),
  });
  expect(job.custody.mode).toBe('threshold');
  const folders = await initFederationKeys(job, join(directory, 'keys'));
  const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
  const running = coordinator.run();
  const participants = await Promise.all(
    ids.map(
      async (participantId) =>
        new Participant({
          participantId,
          jobId: job.jobId,
          dataCsv: files[participantId] as string,
          ...(options.evaluateOnOwnRows ? { evaluationCsv: files[participantId] as string } : {}),
          secretShareFile: join(directory, 'state', participantId, 'secret-share.key'),
          keys: await readParticipantKeys(folders.participants[participantId] as string),
          connection: new InMemoryFederationConnection(coordinator),
        }),
    ),
  );
  const outcomes = await Promise.all(participants.map((participant) => participant.run()));
  const report = await running;
  expect(report.keyCustody).toBe('threshold');
  const finals = participants.map((participant) => participant.globalWeights as Float32Array);
  for (const weights of finals) expect(weights).toEqual(finals[0]);
  const csvFiles = ids.map((id) => files[id] as string);
  return { job, report, outcomes, federated: finals[0] as Float32Array, csvFiles, standardization: participants[0]?.standardization };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, index) => Math.max(max, Math.abs((b[index] as number) - value)), 0);
}

describe.skipIf(!bankMarketingDataAvailable)('a federation in one process, no gRPC (InMemoryFederationConnection)', () => {
  it('3 participants in threshold custody end with the same weights everywhere, equal to plain FedAvg within 1e-5', async () => {
    const { job, federated, csvFiles, standardization } = await runInMemory('in-memory', 3);
    const reference = await replayPlainFederatedAveraging(job, csvFiles, standardization);
    expect(maxDifference(federated, reference)).toBeLessThan(1e-5);
  }, scaledMs(180_000));

  it('with the fedadam server optimizer every participant ends with the model of a plaintext FedAdam replay within 1e-5', async () => {
    const training = {
      rounds: 3,
      localEpochs: 1,
      batchSize: 64,
      learningRate: 0.01,
      optimizer: 'adam',
      seed: 7,
      serverOptimizer: { kind: 'fedadam', learningRate: 0.05, beta1: 0.9, beta2: 0.99, tau: 1e-3 },
    } as const;
    const { job, federated, csvFiles, standardization } = await runInMemory('in-memory-fedadam', 2, training);
    expect(job.training.serverOptimizer?.kind).toBe('fedadam');
    const reference = await replayPlainFederatedAveraging(job, csvFiles, standardization);
    expect(maxDifference(federated, reference)).toBeLessThan(1e-5);
    // The server optimizer did change the outcome: plain FedAvg of the same job lands elsewhere.
    const { serverOptimizer: _ignored, ...plainTraining } = job.training;
    const plain = await replayPlainFederatedAveraging({ ...job, training: plainTraining }, csvFiles, standardization);
    expect(maxDifference(federated, plain)).toBeGreaterThan(1e-3);
  }, scaledMs(180_000));

  it('stopAfterRoundsWithoutImprovement ends the job once the federated AUC stops improving', async () => {
    const training = { rounds: 8, localEpochs: 1, batchSize: 32, learningRate: 0.5, optimizer: 'sgd', seed: 7, stopAfterRoundsWithoutImprovement: 1 } as const;
    const { report, outcomes } = await runInMemory('in-memory-early-stop', 2, training, { evaluateOnOwnRows: true });
    expect(report.status).toBe('finished');
    const trained = report.rounds.filter((round) => round.kind === 'training');
    const aucs = trained.map((round) => round.heldOutAuc);
    expect(trained.length).toBeLessThan(8);
    // It ran until, and only until, one round did not beat the best AUC so far.
    expect(roundsWithoutImprovement(trained.slice(0, -1))).toBe(0);
    expect(roundsWithoutImprovement(trained)).toBe(1);
    expect(aucs.every((auc) => auc !== null)).toBe(true);
    for (const outcome of outcomes) expect(outcome.roundsCompleted).toBe(trained.length);
  }, scaledMs(180_000));
});
