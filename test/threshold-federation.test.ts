import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { compareSavedModelWithPlainFedAvg } from './support/compare-saved-model-with-plain-fedavg.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('threshold custody end to end (coordinator + participant processes over gRPC)', () => {
  it.each([3, 5])(
    'with %i participants, the jointly decrypted aggregates give exactly the plaintext-FedAvg model (within 1e-5)',
    async (count) => {
      const directory = await mkdtemp(join(tmpdir(), `hefl-threshold-${count}-`));
      directories.push(directory);
      const { ids, files } = await writeParticipantSlices(join(directory, 'data'), count, 250);
      const job = bankJob({
        jobId: `threshold-${count}`,
        federation: { participants: ids, minParticipants: count, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
      });
      expect(job.custody.mode).toBe('threshold');
      const result = await launchLocalFederation({
        workDirectory: join(directory, 'federation'),
        job,
        // The shares are read back below (they never reached the coordinator's log): keep them.
        nodes: ids.map((participantId) => ({ participantId, dataCsv: files[participantId] as string, keepSecretShare: true })),
        timeoutMs: scaledMs(150_000),
      });
      expect(result.coordinatorExitCode).toBe(0);
      expect(Object.values(result.participantExitCodes).every((code) => code === 0)).toBe(true);
      expect(result.report.keyCustody).toBe('threshold');
      expect(result.report.collectiveKeySha256).toMatch(/^[0-9a-f]{64}$/);

      const { maxError } = await compareSavedModelWithPlainFedAvg(job, result.outputDirectories.p1 as string, ids.map((id) => files[id] as string));
      expect(maxError).toBeLessThan(1e-5);
      // The secret shares stayed on their nodes; the coordinator's log never mentions their bytes.
      const coordinatorLog = await readFile(join(result.logDirectory, 'coordinator.log'), 'utf8');
      for (const id of ids) {
        const share = await readFile(join(result.outputDirectories[id] as string, 'state', 'secret-share.key'));
        for (const encoding of ['hex', 'base64'] as const) expect(coordinatorLog).not.toContain(share.subarray(0, 48).toString(encoding));
      }
    },
    scaledMs(180_000),
  );

  it('a model of several ciphertexts is encrypted on worker threads, streamed, and still gives the plaintext-FedAvg model', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-threshold-workers-'));
    directories.push(directory);
    const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 3, 200);
    // 62 inputs x 512 hidden units + biases + output: 32,769 parameters, 5 ciphertexts of 8,192 values.
    const job = bankJob({
      jobId: 'threshold-workers',
      model: { kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 512, activation: 'relu' }] },
      training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 8 },
      federation: { participants: ids, minParticipants: 3, roundDeadlineSeconds: scaledSeconds(90), joinDeadlineSeconds: scaledSeconds(90) },
    });
    const result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: ids.map((participantId) => ({ participantId, dataCsv: files[participantId] as string })),
      timeoutMs: scaledMs(150_000),
    });
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.report.rounds.at(-1)?.bytesReceived).toBeGreaterThan(3 * 5 * 100_000);
    const log = await readFile(join(result.logDirectory, 'p1.log'), 'utf8');
    expect(log).toMatch(/"workers":[1-9]\d*,"ciphertextsPerUpdate":5,"msg":"encryption stage ready"/);

    const { maxError, parameterCount } = await compareSavedModelWithPlainFedAvg(job, result.outputDirectories.p1 as string, ids.map((id) => files[id] as string));
    expect(parameterCount).toBe(32_769);
    expect(maxError).toBeLessThan(1e-5);
  }, scaledMs(180_000));
});
