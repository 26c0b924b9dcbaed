import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { countStatisticsValues } from '../protocols/job/count-model-parameters.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
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

  it('takes a failure report only from a node that joined, once per nonce, and shows it until the node joins again', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-coordinator-failure-'));
    directories.push(directory);
    const folders = await initFederationKeys(job, directory);
    const coordinatorKeys = await readCoordinatorKeys(folders.coordinator);
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys });
    const sink = { send: () => undefined, close: () => undefined };
    const joinRequest = { jobId: job.jobId, participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: coordinatorKeys.manifest.keyFingerprint };
    const report = { jobId: job.jobId, participantId: 'bank', code: 'dataset-invalid', phase: 'join', round: 0, nonce: new Uint8Array(16).fill(7) } as const;
    expect(coordinator.reportFailure(report)).toEqual({ accepted: false, reason: 'participant has not joined' });
    expect(coordinator.join(joinRequest, sink)).toEqual({ accepted: true });
    expect(coordinator.reportFailure(report)).toEqual({ accepted: true });
    expect(coordinator.reportFailure(report).accepted).toBe(false); // the same nonce again: a replay
    coordinator.leave('bank');
    const bank = (): unknown => coordinator.participantActivity().find((participant) => participant.id === 'bank');
    expect(bank()).toMatchObject({ state: 'failed', connected: false, failure: { code: 'dataset-invalid', phase: 'join', round: 0 } });
    expect(coordinator.join(joinRequest, sink)).toEqual({ accepted: true });
    expect(bank()).toMatchObject({ state: 'connected', failure: null });
    coordinator.stop('test finished');
  });

  it('lets a node without saved state catch up only where the coordinator still holds what was published', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-coordinator-catch-up-'));
    directories.push(directory);
    const folders = await initFederationKeys(job, directory);
    const coordinatorKeys = await readCoordinatorKeys(folders.coordinator);
    const round0 = { round: 0, kind: 'statistics' as const, contributors: ['bank', 'shop'], meanLocalLoss: null, heldOutAuc: null, heldOutLoss: null, evaluationCount: 0, totalWeight: 10, bytesReceived: 0, bytesSent: 0, seconds: 1 };
    const resume = {
      format: 'hefl-coordinator-state/1' as const,
      jobId: job.jobId,
      jobSha256: jobSha256(job),
      lastCompletedRound: 0,
      collectiveKeySha256: null,
      rounds: [round0],
      sampleCounts: { bank: null, shop: null },
      bytesReceived: 0,
      bytesSent: 0,
      startedAt: new Date().toISOString(),
      savedAt: new Date().toISOString(),
    };
    // Resumed from its state file: round 0 is done, but its aggregate is no longer held here.
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys, resume });
    const sink = { send: () => undefined, close: () => undefined };
    const joinRequest = { jobId: job.jobId, participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: coordinatorKeys.manifest.keyFingerprint };
    const withoutKeys = coordinator.join(joinRequest, sink);
    expect(withoutKeys.accepted).toBe(false);
    if (!withoutKeys.accepted) expect(withoutKeys.reason).toMatch(/round 0 completed\); a node rejoins only with its saved state .* or its key material, and this node has neither/);
    const catchingUp = coordinator.join({ ...joinRequest, catchUp: true }, sink);
    expect(catchingUp.accepted).toBe(false);
    if (!catchingUp.accepted) expect(catchingUp.reason).toMatch(/no longer holds the published aggregates of round 0 \(it resumed from its state file\); the node can rejoin only with its saved state/);
    expect(coordinator.join({ ...joinRequest, resumeAfterRound: 0 }, sink)).toEqual({ accepted: true });
    coordinator.stop('test finished');
  });
});
