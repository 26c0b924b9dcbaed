import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { Participant } from '../participant/participant.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { InMemoryFederationConnection } from './support/in-memory-connection.js';
import { replayPlainFederatedAveraging } from './support/replay-plain-federated-averaging.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('a federation in one process, no gRPC (InMemoryFederationConnection)', () => {
  it('3 participants in threshold custody end with the same weights everywhere, equal to plain FedAvg within 1e-5', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-in-memory-'));
    directories.push(directory);
    const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 3, 200);
    const job = bankJob({
      jobId: 'in-memory',
      federation: { participants: ids, minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
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
            secretShareFile: join(directory, 'state', participantId, 'secret-share.key'),
            keys: await readParticipantKeys(folders.participants[participantId] as string),
            connection: new InMemoryFederationConnection(coordinator),
          }),
      ),
    );
    await Promise.all(participants.map((participant) => participant.run()));
    const report = await running;
    expect(report.keyCustody).toBe('threshold');

    const finals = participants.map((participant) => participant.globalWeights as Float32Array);
    for (const weights of finals) expect(weights).toEqual(finals[0]);
    const reference = await replayPlainFederatedAveraging(
      job,
      ids.map((id) => files[id] as string),
      participants[0]?.standardization,
    );
    const federated = finals[0] as Float32Array;
    expect(federated.length).toBe(reference.length);
    const maxError = reference.reduce((max, value, index) => Math.max(max, Math.abs((federated[index] as number) - value)), 0);
    expect(maxError).toBeLessThan(1e-5);
  }, scaledMs(180_000));
});
