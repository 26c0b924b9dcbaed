import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { FederationConnection } from '../participant/federation-connection.js';
import { Participant } from '../participant/participant.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { forwardConnection } from './support/forward-connection.js';
import { InMemoryFederationConnection } from './support/in-memory-connection.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// Single-key custody: the coordinator cannot decrypt, so a node that restarts without saved state
// catches up on the encrypted aggregates of the completed rounds and decrypts them itself.
let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('catching up without saved state (single-key custody, in one process)', () => {
  it('a node that fails in round 2 reports it, the round ends at once, and the node restarted without state catches up and ends with everyone\'s model', async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-catch-up-'));
    const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 3, 150);
    const job = bankJob({
      jobId: 'catch-up-single-key',
      custody: { mode: 'single-key' },
      training: { rounds: 3, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5, serverOptimizer: { kind: 'fedadam', learningRate: 0.05, tau: 1e-3 } },
      // A round deadline far beyond the test's timeout: only the failure report ends round 2 in time.
      federation: { participants: ids, minParticipants: 3, roundDeadlineSeconds: scaledSeconds(1_200), joinDeadlineSeconds: scaledSeconds(60), roundRetries: 1 },
    });
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const running = coordinator.run();
    const participant = async (id: string, wrap: (connection: FederationConnection) => FederationConnection = (connection) => connection): Promise<Participant> =>
      new Participant({
        participantId: id,
        jobId: job.jobId,
        dataCsv: files[id] as string,
        keys: await readParticipantKeys(folders.participants[id] as string),
        connection: wrap(new InMemoryFederationConnection(coordinator)),
      });
    const [first, ...others] = ids as [string, ...string[]];
    const failing = await participant(first, (connection) => ({
      ...forwardConnection(connection),
      submitUpdate: async (chunks) => {
        const list = [];
        for await (const chunk of chunks) list.push(chunk);
        if (list[0]?.round === 2) throw new Error('the node crashed');
        return connection.submitUpdate(list);
      },
    }));
    const staying = await Promise.all(others.map((id) => participant(id)));
    const stayingRuns = staying.map((node) => node.run());
    await expect(failing.run()).rejects.toThrow(/the node crashed/);
    expect(coordinator.participantActivity().find((activity) => activity.id === first)).toMatchObject({ state: 'failed', failure: { code: 'internal', phase: 'training', round: 2 } });
    // Restarted with its key folder and nothing else: it catches up on rounds 0 and 1, then takes part.
    const restarted = await participant(first);
    const [restartedOutcome, ...stayingOutcomes] = await Promise.all([restarted.run(), ...stayingRuns]);
    const report = await running;
    expect(report.status).toBe('finished');
    expect(report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3]);
    for (const round of report.rounds) expect([...round.contributors].sort()).toEqual([...ids].sort());
    for (const outcome of stayingOutcomes) {
      const difference = outcome.finalWeights.reduce((max, value, index) => Math.max(max, Math.abs(value - (restartedOutcome?.finalWeights[index] as number))), 0);
      expect(difference).toBeLessThan(1e-6);
    }
  }, scaledMs(180_000));
});
