import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { countStatisticsValues } from '../protocols/job/count-model-parameters.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
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
  it('refuses at Join a node of protocol version 3 (raw round-0 statistics, not limbs): the two would misread each other', async () => {
    expect(PROTOCOL_VERSION).toBe(4);
    const directory = await mkdtemp(join(tmpdir(), 'hefl-coordinator-version-'));
    directories.push(directory);
    const folders = await initFederationKeys(job, directory);
    const coordinatorKeys = await readCoordinatorKeys(folders.coordinator);
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys });
    const receipt = coordinator.join(
      { jobId: job.jobId, participantId: 'bank', protocolVersion: 3, keyFingerprint: coordinatorKeys.manifest.keyFingerprint },
      { send: () => undefined, close: () => undefined },
    );
    expect(receipt).toEqual({ accepted: false, reason: 'protocol version 3 is not supported (this coordinator speaks 4)' });
    coordinator.stop('test finished');
  });

  it('acknowledges a resent identical update without adding it twice, and refuses a different one', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-coordinator-'));
    directories.push(directory);
    const folders = await initFederationKeys(job, directory);
    const coordinatorKeys = await readCoordinatorKeys(folders.coordinator);
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys });
    const events: CoordinatorEvent[] = [];
    const arrived = new EventEmitter();
    /** Resolves with the first event (already sent or still to come) that matches: no sleeping. */
    const nextEvent = (match: (event: CoordinatorEvent) => boolean): Promise<CoordinatorEvent> =>
      new Promise((resolve) => {
        const found = events.find(match);
        if (found) return resolve(found);
        const listener = (event: CoordinatorEvent): void => {
          if (!match(event)) return;
          arrived.off('event', listener);
          resolve(event);
        };
        arrived.on('event', listener);
      });
    for (const id of ['bank', 'shop']) {
      const receipt = coordinator.join(
        { jobId: job.jobId, participantId: id, protocolVersion: PROTOCOL_VERSION, keyFingerprint: coordinatorKeys.manifest.keyFingerprint },
        {
          send: (event) => {
            events.push(event);
            arrived.emit('event', event);
          },
          close: () => undefined,
        },
      );
      expect(receipt.accepted).toBe(true);
    }
    const running = coordinator.run();
    await nextEvent((event) => event.type === 'round-started');

    const session = await CkksSession.create(job.ckks, { publicKey: coordinatorKeys.publicKey as Uint8Array });
    const vectorLength = countStatisticsValues(job);
    const update = (participantId: string, values: number[]): UpdateChunk => ({
      jobId: job.jobId,
      participantId,
      round: 0,
      chunkIndex: 0,
      ciphertext: session.encryptVector(values)[0] as Uint8Array,
      metadata: { kind: 'statistics', vectorLength, chunkCount: 1 },
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

    // The round's aggregate counts bank once: it decrypts to bank's values plus shop's.
    const ready = await nextEvent((event) => event.type === 'aggregate-ready');
    expect(ready.type === 'aggregate-ready' && ready.contributors).toEqual(['bank', 'shop']);
    const served = coordinator.aggregateFor({ jobId: job.jobId, participantId: 'bank', round: 0, kind: 'statistics' });
    expect(served.success).toBe(true);
    const bankKeys = await readParticipantKeys(folders.participants.bank as string);
    const decrypting = await CkksSession.create(job.ckks, { publicKey: bankKeys.publicKey as Uint8Array, secretKey: bankKeys.secretKey as Uint8Array });
    const sum = decrypting.decryptVector(served.success ? [...served.data] : [], vectorLength);
    decrypting.dispose();
    Array.from(sum).forEach((value, index) => expect(value).toBeCloseTo([2, 3, 4][index] ?? 0, 4)); // the rest of the vector was zero
    coordinator.stop('test finished');
    expect((await running).status).toBe('stopped');
  });
});
