import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator, type JobReport } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer, type RunningCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { FederationClient } from '../proto/generated/hefl/v1/Federation.js';
import type { UpdateChunk } from '../proto/generated/hefl/v1/UpdateChunk.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { computeFeatureStatistics } from '../participant/data/compute-feature-statistics.js';
import { parseDataset } from '../participant/data/parse-dataset.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { standardizationFromTotals } from '../participant/data/standardization-from-totals.js';
import { countStatisticsValues } from '../protocols/job/count-model-parameters.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// Single-key custody: the hostile client needs the public key to make well-formed ciphertexts.
const job = bankJob({
  jobId: 'wire-faults',
  custody: { mode: 'single-key' },
  training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 3 },
  federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(30) },
});
let directory: string;
let keys: InitializedKeyFolders;
let slices: BankSlices;
let server: RunningCoordinatorServer;
let coordinator: Coordinator;

function rawClient(address: string): FederationClient {
  const Client = grpc.makeClientConstructor(loadFederationService(), 'hefl.v1.Federation') as unknown as new (
    address: string,
    credentials: grpc.ChannelCredentials,
  ) => FederationClient;
  return new Client(address, grpc.credentials.createInsecure());
}

/** Sends one update stream; chunk 0 gets a fresh nonce unless it has one (or `stampNonce` is false). */
function submit(client: FederationClient, chunks: UpdateChunk[], stampNonce = true): Promise<{ ok: boolean; code?: number; details: string }> {
  chunks = chunks.map((chunk) => (stampNonce && chunk.chunkIndex === 0 && !chunk.nonce ? { ...chunk, nonce: randomBytes(16) } : chunk));
  return new Promise((resolve) => {
    const call = client.submitUpdate((error, receipt) =>
      resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: Boolean(receipt?.accepted), details: receipt?.reason ?? '' }),
    );
    for (const chunk of chunks) call.write(chunk);
    call.end();
  });
}

describe.skipIf(!bankMarketingDataAvailable)('the coordinator\'s gRPC surface under hostile input', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-wire-faults-'));
    keys = await initFederationKeys(job, join(directory, 'keys'));
    slices = await writeBankSlices(join(directory, 'data'), 300, 100);
    coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(keys.coordinator) });
    server = await startGrpcCoordinatorServer(coordinator);
  }, scaledMs(60_000));

  afterAll(async () => {
    await server?.shutdown();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('refuses malformed, foreign, truncated, duplicated and out-of-order updates, then finishes the round with the honest participants', async () => {
    const running = coordinator.run();
    const honest = ['bank', 'ecommerce'].map(async (participantId) => {
      const participant = new Participant({
        participantId,
        jobId: job.jobId,
        dataCsv: slices.files[participantId as 'bank' | 'ecommerce'],
        keys: await readParticipantKeys(keys.participants[participantId] as string),
        connection: await GrpcFederationConnection.connect({ address: server.address, connectTimeoutMs: scaledMs(10_000) }),
      });
      return participant.run();
    });

    // The hostile client joins with government's identity and key fingerprint, then misbehaves.
    const client = rawClient(server.address);
    const governmentKeys = await readParticipantKeys(keys.participants.government as string);
    const stream = client.join({ jobId: job.jobId, participantId: 'government', protocolVersion: PROTOCOL_VERSION, keyFingerprint: governmentKeys.manifest.keyFingerprint, nonce: randomBytes(16) });
    stream.on('error', () => undefined); // our own cancel() below ends it with CANCELLED
    await new Promise<void>((resolve) => stream.on('data', (event: { event?: string; roundStarted?: { round: number } }) => {
      if (event.event === 'roundStarted' && event.roundStarted?.round === 0) resolve();
    }));

    const session = await CkksSession.create(job.ckks, { publicKey: governmentKeys.publicKey });
    const vectorLength = countStatisticsValues(job);
    const good = session.encryptVector(new Float64Array(vectorLength).fill(1));
    const other = await CkksSession.create({ polyModulusDegree: 8192, coeffModulusBits: [60, 40, 60], scaleBits: 40 });
    const foreign = (await CkksSession.create(other.parameters, other.generateKeyPair())).encryptVector([1, 2, 3]);
    other.dispose();
    session.dispose();
    const metadata = { kind: 'ROUND_KIND_STATISTICS' as const, sampleCount: 10, localLoss: 0, vectorLength, chunkCount: 1 };
    const base = { jobId: job.jobId, participantId: 'government', round: 0, chunkIndex: 0 };
    const random = Buffer.alloc((good[0] as Uint8Array).length);
    for (let index = 0; index < random.length; index += 1) random[index] = (index * 2654435761) >>> 24;

    const cases: [string, UpdateChunk[], RegExp][] = [
      ['random bytes', [{ ...base, ciphertext: random, metadata }], /does not load/],
      ['ciphertext under other parameters', [{ ...base, ciphertext: Buffer.from(foreign[0] as Uint8Array), metadata }], /does not load/],
      ['truncated ciphertext', [{ ...base, ciphertext: Buffer.from((good[0] as Uint8Array).subarray(0, 5_000)), metadata }], /does not load/],
      ['no metadata on chunk 0', [{ ...base, ciphertext: Buffer.from(good[0] as Uint8Array) }], /chunk 0 carrying its metadata/],
      ['out-of-order chunk', [{ ...base, chunkIndex: 1, ciphertext: Buffer.from(good[0] as Uint8Array), metadata }], /chunk 0/],
      ['duplicated chunk', [{ ...base, ciphertext: Buffer.from(good[0] as Uint8Array), metadata }, { ...base, ciphertext: Buffer.from(good[0] as Uint8Array) }], /expected chunk 1|beyond/],
      ['wrong layout', [{ ...base, ciphertext: Buffer.from(good[0] as Uint8Array), metadata: { ...metadata, vectorLength: 7 } }], /layout/],
      ['another round', [{ ...base, round: 5, ciphertext: Buffer.from(good[0] as Uint8Array), metadata }], /not the current round/],
      ['another participant\'s identity', [{ ...base, participantId: 'mallory', ciphertext: Buffer.from(good[0] as Uint8Array), metadata }], /has not joined/],
      ['oversized identifiers', [{ ...base, participantId: 'x'.repeat(500), ciphertext: Buffer.from(good[0] as Uint8Array), metadata }], /invalid update chunk/],
    ];
    for (const [name, chunks, reason] of cases) {
      const answer = await submit(client, chunks);
      expect(answer.ok, name).toBe(false);
      expect(answer.details, name).toMatch(reason);
    }
    // Replays: every update is bound to its job, its round and a fresh nonce.
    const used = randomBytes(16);
    expect((await submit(client, [{ ...base, ciphertext: random, metadata, nonce: used }])).details).toMatch(/does not load/);
    const replayed = await submit(client, [{ ...base, ciphertext: Buffer.from(good[0] as Uint8Array), metadata, nonce: used }]);
    expect(replayed.ok).toBe(false);
    expect(replayed.details).toMatch(/replayed message: this nonce was already used/);
    const anotherJob = await submit(client, [{ ...base, jobId: 'another-job', ciphertext: Buffer.from(good[0] as Uint8Array), metadata }]);
    expect(anotherJob.details).toMatch(/unknown job "another-job"/);
    const noNonce = await submit(client, [{ ...base, ciphertext: Buffer.from(good[0] as Uint8Array), metadata }], false);
    expect(noNonce.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(noNonce.details).toMatch(/nonce: chunk 0 must carry a 16-byte nonce/);
    // The hostile client leaves; the round goes on with the two honest participants (quorum 2).
    stream.cancel();
    client.close();

    const outcomes = await Promise.all(honest);
    const report: JobReport = await running;
    expect(report.status).toBe('finished');
    expect(report.rounds.map((round) => round.contributors)).toEqual([
      ['bank', 'ecommerce'],
      ['bank', 'ecommerce'],
    ]);
    expect(Array.from(outcomes[0]?.finalWeights ?? [])).toEqual(Array.from(outcomes[1]?.finalWeights ?? []));
    // The statistics aggregate holds only the honest rows: a refused update left no trace in the sum.
    const honestTotals = (await Promise.all(['bank', 'ecommerce'].map(async (id) =>
      computeFeatureStatistics(parseDataset(await readCsvTable(slices.files[id as 'bank' | 'ecommerce']), job.features), job.features),
    ))).reduce((sum, vector) => sum.map((value, index) => value + (vector[index] as number)));
    const expected = standardizationFromTotals(honestTotals, job.features);
    const means = outcomes[0]?.standardization.means ?? new Float64Array();
    expected.means.forEach((mean, index) => expect(Math.abs((means[index] as number) - mean)).toBeLessThan(1e-6 * Math.max(1, Math.abs(mean))));
  }, scaledMs(120_000));
});
