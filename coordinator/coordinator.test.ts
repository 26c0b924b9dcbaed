import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { countStatisticsValues } from '../protocols/job/count-model-parameters.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { PROTOCOL_VERSION, type CoordinatorEvent, type UpdateChunk } from '../protocols/wire/federation-messages.js';
import { Coordinator } from './coordinator.js';

const job = jobSpecSchema.parse({
  jobId: 'duplicates',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2, roundDeadlineSeconds: 30 },
  custody: { mode: 'single-key' },
});
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('Coordinator', () => {
  it('acknowledges a resent identical update without adding it twice, and refuses a different one', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-coordinator-'));
    directories.push(directory);
    const folders = await initFederationKeys(job, directory);
    const coordinatorKeys = await readCoordinatorKeys(folders.coordinator);
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys });
    const events: CoordinatorEvent[] = [];
    for (const id of ['bank', 'shop']) {
      const receipt = coordinator.join(
        { jobId: job.jobId, participantId: id, protocolVersion: PROTOCOL_VERSION, keyFingerprint: coordinatorKeys.manifest.keyFingerprint },
        { send: (event) => events.push(event), close: () => undefined },
      );
      expect(receipt.accepted).toBe(true);
    }
    const running = coordinator.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.some((event) => event.type === 'round-started')).toBe(true);

    const session = await CkksSession.create(job.ckks, { publicKey: coordinatorKeys.publicKey as Uint8Array });
    const vectorLength = countStatisticsValues(job);
    const update = (participantId: string, values: number[]): UpdateChunk => ({
      jobId: job.jobId,
      participantId,
      round: 0,
      chunkIndex: 0,
      ciphertext: session.encryptVector(values)[0] as Uint8Array,
      metadata: { kind: 'statistics', sampleCount: 4, localLoss: 0, vectorLength, chunkCount: 1 },
    });
    const submit = (chunk: UpdateChunk): { accepted: boolean } => {
      const opened = coordinator.openUpdate(chunk);
      if (!opened.success) return { accepted: false };
      return opened.data.finish();
    };
    const bankUpdate = update('bank', [1, 2, 3]);
    expect(submit(bankUpdate)).toEqual({ accepted: true });
    expect(submit(bankUpdate)).toEqual({ accepted: true }); // resent: acknowledged
    expect(submit(update('bank', [9, 9, 9])).accepted).toBe(false); // a different update: refused
    expect(submit(update('shop', [1, 1, 1]))).toEqual({ accepted: true });
    session.dispose();

    // The round's aggregate counts bank once: total weight 4 + 4.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ready = events.find((event) => event.type === 'aggregate-ready');
    expect(ready?.type === 'aggregate-ready' && ready.totalWeight).toBe(8);
    coordinator.stop('test finished');
    expect((await running).status).toBe('stopped');
  });
});
