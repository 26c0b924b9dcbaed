import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer, type RunningCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { loadFederationService, type FederationMethodName } from '../proto/load-federation-service.js';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { scaledMs } from './support/time-scale.js';

const job = jobSpecSchema.parse({
  jobId: 'fuzz',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2, joinDeadlineSeconds: 600 },
});
const MESSAGES = 3_000;
let directory: string;
let server: RunningCoordinatorServer;
let coordinator: Coordinator;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

/** Valid messages of every request type: the seeds that the fuzzer mutates. */
function seedMessages(): Record<FederationMethodName, object> {
  const bytes = Buffer.from(Array.from({ length: 600 }, (_, index) => (index * 31) % 256));
  const nonce = bytes.subarray(100, 116);
  return {
    Join: { jobId: 'fuzz', participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: 'a'.repeat(64), nonce },
    SubmitUpdate: {
      jobId: 'fuzz',
      participantId: 'bank',
      round: 0,
      chunkIndex: 0,
      ciphertext: bytes,
      metadata: { kind: 'ROUND_KIND_STATISTICS', sampleCount: 10, localLoss: 0, vectorLength: 3, chunkCount: 1 },
      nonce,
    },
    FetchAggregate: { jobId: 'fuzz', participantId: 'bank', round: 0 },
    ReportEvaluation: { jobId: 'fuzz', participantId: 'bank', round: 1, evaluationCount: 5, auc: 0.5, loss: 0.3, nonce },
    SubmitKeySetup: { jobId: 'fuzz', participantId: 'bank', step: 'KEY_SETUP_STEP_SEED_COMMITMENT', value: bytes.subarray(0, 32), signature: bytes.subarray(0, 64), nonce },
    SubmitDecryptionShare: { jobId: 'fuzz', participantId: 'bank', round: 0, chunkIndex: 0, share: bytes, aggregateSha256: 'b'.repeat(64), nonce },
    FetchDecryptedAggregate: { jobId: 'fuzz', participantId: 'bank', round: 0 },
    FetchContributions: { jobId: 'fuzz', participantId: 'bank', round: 0 },
    ReportFailure: { jobId: 'fuzz', participantId: 'bank', code: 'FAILURE_CODE_DATASET_INVALID', phase: 'FAILURE_PHASE_JOIN', round: 0, nonce },
  };
}

function mutate(bytes: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(bytes);
  switch (Math.floor(random() * 5)) {
    case 0: // flip bits
      for (let flips = 1 + Math.floor(random() * 8); flips > 0 && copy.length > 0; flips -= 1) {
        const index = Math.floor(random() * copy.length);
        copy[index] = (copy[index] as number) ^ (1 << Math.floor(random() * 8));
      }
      return copy;
    case 1: // truncate
      return copy.subarray(0, Math.floor(random() * copy.length));
    case 2: // random bytes
      return Buffer.from(Array.from({ length: Math.floor(random() * 2_000) }, () => Math.floor(random() * 256)));
    case 3: // duplicate a slice
      return Buffer.concat([copy, copy.subarray(0, Math.floor(random() * copy.length))]);
    default: // overwrite a varint-length with a huge value
      if (copy.length > 2) copy.writeUInt8(0xff, 1 + Math.floor(random() * (copy.length - 1)));
      return copy;
  }
}

describe('fuzzing the coordinator\'s gRPC surface', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    directory = await mkdtemp(join(tmpdir(), 'hefl-fuzz-'));
    const folders = await initFederationKeys(job, directory);
    coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    server = await startGrpcCoordinatorServer(coordinator);
    void coordinator.run();
  }, scaledMs(30_000));

  afterAll(async () => {
    coordinator.stop('fuzz test finished');
    await server.shutdown();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await rm(directory, { recursive: true, force: true });
  });

  it(`answers ${MESSAGES} mutated messages with statuses, without crashing, leaking or growing`, async () => {
    const service = loadFederationService();
    const seeds = seedMessages();
    const random = createSeededRandom(20_261_122);
    // A raw client: bytes go out exactly as mutated, no serializer in the way.
    const raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const passthrough = (value: Buffer): Buffer => value;
    const methods = Object.keys(seeds) as FederationMethodName[];
    const statuses = new Map<string, number>();
    const count = (key: string): void => {
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    const started = Date.now();
    const rssBefore = process.memoryUsage().rss;

    const send = (method: FederationMethodName): Promise<void> =>
      new Promise<void>((resolve) => {
        const definition = service[method];
        const valid = definition.requestSerialize(seeds[method] as never);
        const payload = mutate(valid, random);
        const path = definition.path;
        const deadline = Date.now() + scaledMs(5_000);
        let done = false;
        const finish = (error: grpc.ServiceError | null): void => {
          if (done) return; // a stream may both fail and end
          done = true;
          count(error ? grpc.status[error.code] ?? String(error.code) : 'OK');
          resolve();
        };
        if (definition.requestStream) {
          const call = raw.makeClientStreamRequest(path, passthrough, passthrough, { deadline }, (error) => finish(error));
          const extra = Math.floor(random() * 3);
          call.write(payload);
          for (let index = 0; index < extra; index += 1) call.write(mutate(valid, random));
          call.end();
        } else if (definition.responseStream) {
          const call = raw.makeServerStreamRequest(path, passthrough, passthrough, payload, { deadline });
          call.on('data', () => undefined);
          call.on('error', (error: grpc.ServiceError) => finish(error));
          call.on('end', () => finish(null));
          // Joins that get through are held briefly, then dropped: a participant that disconnects.
          setTimeout(() => call.cancel(), 50);
        } else {
          raw.makeUnaryRequest(path, passthrough, passthrough, payload, { deadline }, (error) => finish(error));
        }
      });

    for (let sent = 0; sent < MESSAGES; sent += 25) {
      await Promise.all(Array.from({ length: 25 }, () => send(methods[Math.floor(random() * methods.length)] as FederationMethodName)));
      if (Date.now() - started > scaledMs(90_000)) break;
    }
    raw.close();
    const answered = [...statuses.values()].reduce((sum, value) => sum + value, 0);
    expect(answered).toBe(MESSAGES);
    expect(unhandled).toEqual([]);
    // Bad input is answered with a status, not silence or an internal error.
    expect(statuses.get('INTERNAL') ?? 0).toBe(0);
    expect((statuses.get('INVALID_ARGUMENT') ?? 0) + (statuses.get('FAILED_PRECONDITION') ?? 0) + (statuses.get('PERMISSION_DENIED') ?? 0)).toBeGreaterThan(MESSAGES / 2);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
    // Still serving: the job waits for its participants and nobody is stuck as "connected".
    expect(coordinator.status).toBe('waiting-for-participants');
    // The dropped joins are noticed as disconnects: wait for that, not for a fixed time.
    const settled = Date.now() + scaledMs(5_000);
    while (coordinator.connectedParticipants().length > 0 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(coordinator.connectedParticipants()).toEqual([]);
  }, scaledMs(120_000));
});
