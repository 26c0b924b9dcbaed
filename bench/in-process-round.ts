import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, type CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { figure, ratioFigure, type Figure } from './figures.js';
import { prepareUpdates, runLoadGenerators, type LoadGeneratorTimings, type PreparedUpdates } from './load-generator.js';
import { createPlaintextBaseline } from './plaintext-baseline.js';
import { syntheticJob, syntheticJobSizes } from './synthetic-job.js';

export interface SyntheticRoundResult {
  readonly parameterCount: number;
  readonly participants: number;
  /** Client-observed: training round-started → aggregate-ready, pre-encrypted updates, in-process coordinator over gRPC loopback. */
  readonly encryptedRoundSeconds: Figure;
  readonly encryptedBytesPerParticipant: number;
  readonly plaintextTransferSeconds: Figure;
  readonly plaintextFedAvgSeconds: Figure;
  readonly plaintextTotalSeconds: Figure;
  readonly plaintextBytesPerParticipant: number;
  /** encryptedRoundSeconds / plaintextTotalSeconds, run by run. */
  readonly encryptedOverPlaintext: Figure;
}

/** One job (statistics round + one training round) against a fresh in-process coordinator and gRPC server. */
async function runEncryptedJob(job: JobSpec, keys: CoordinatorKeys, updates: PreparedUpdates, timeoutMs: number): Promise<LoadGeneratorTimings> {
  const coordinator = await Coordinator.create({ job, keys });
  const server = await startGrpcCoordinatorServer(coordinator);
  const timer = setTimeout(() => coordinator.stop(`bench time limit of ${timeoutMs / 1000} s`), timeoutMs);
  try {
    const running = coordinator.run();
    const timings = await runLoadGenerators(server.address, job, keys, updates).catch((error: unknown) => {
      coordinator.stop('a bench load generator failed'); // so `running` settles instead of waiting for the deadline
      throw error;
    });
    const report = await running;
    if (report.status !== 'finished') throw new Error(`synthetic job ended ${report.status}: ${report.failure ?? ''}`);
    return timings;
  } finally {
    clearTimeout(timer);
    await server.shutdown();
  }
}

/**
 * One round of N participant-like clients each submitting an encrypted P-parameter update through
 * `GrpcFederationConnection.submitUpdate` to an in-process Coordinator + gRPC server, interleaved run
 * by run with the plaintext baseline (float32 upload over a standalone gRPC sink + plaintext FedAvg).
 */
export async function measureSyntheticRound(
  targetParameters: number,
  participants: number,
  repeat: number,
  onProgress: (line: string) => void,
): Promise<SyntheticRoundResult> {
  const job = syntheticJob(targetParameters, participants, 'bench-round', 300);
  const { modelParameters } = syntheticJobSizes(job);
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-round-'));
  try {
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const keys = await readCoordinatorKeys(folders.coordinator);
    const updates = await prepareUpdates(job, keys);
    const baseline = await createPlaintextBaseline(modelParameters, participants);
    const encrypted: number[] = [];
    const transfer: number[] = [];
    const fedAvg: number[] = [];
    const total: number[] = [];
    let encryptedBytes = 0;
    let plaintextBytes = 0;
    try {
      for (let run = 0; run < repeat; run += 1) {
        onProgress(`round over gRPC: ${participants} × ${modelParameters} parameters, run ${run + 1}/${repeat}`);
        const timings = await runEncryptedJob(job, keys, updates, 300_000);
        encrypted.push(timings.trainingRoundSeconds);
        encryptedBytes = timings.trainingBytesPerParticipant;
        const plain = await baseline.run();
        transfer.push(plain.transferSeconds);
        fedAvg.push(plain.fedAvgSeconds);
        total.push(plain.totalSeconds);
        plaintextBytes = plain.bytesPerParticipant;
      }
    } finally {
      await baseline.close();
    }
    const encryptedRoundSeconds = figure('s', encrypted);
    const plaintextTotalSeconds = figure('s', total);
    return {
      parameterCount: modelParameters,
      participants,
      encryptedRoundSeconds,
      encryptedBytesPerParticipant: encryptedBytes,
      plaintextTransferSeconds: figure('s', transfer),
      plaintextFedAvgSeconds: figure('s', fedAvg),
      plaintextTotalSeconds,
      plaintextBytesPerParticipant: plaintextBytes,
      encryptedOverPlaintext: ratioFigure(encryptedRoundSeconds, plaintextTotalSeconds),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
