import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { PROTOCOL_VERSION, type RoundKind, type UpdateChunk } from '../protocols/wire/federation-messages.js';
import { countTrainingValues, trainingVector } from '../protocols/aggregation/update-vector.js';
import { EVALUATION_VALUES } from '../protocols/data/evaluation-counts.js';
import { syntheticJobSizes } from './synthetic-job.js';
import { SYNTHETIC_SAMPLE_COUNT, syntheticWeightedUpdate } from './synthetic-update.js';

/** Pre-encrypted updates for both rounds of a synthetic job; every load-generating participant sends these. */
export interface PreparedUpdates {
  readonly statistics: readonly Uint8Array[];
  readonly training: readonly Uint8Array[];
  /** An evaluation vector of zeros (a node without evaluation rows), sent after every training round. */
  readonly evaluation: readonly Uint8Array[];
  readonly statisticsLength: number;
  readonly trainingLength: number;
}

/** Encrypts one statistics vector and one training update under the federation's public key. */
export async function prepareUpdates(job: JobSpec, keys: CoordinatorKeys): Promise<PreparedUpdates> {
  const { modelParameters, statisticsValues } = syntheticJobSizes(job);
  if (!keys.publicKey) throw new Error('the bench\'s load generators need single-key custody: the key folder has no CKKS public key');
  const session = await CkksSession.create(job.ckks, { publicKey: keys.publicKey });
  try {
    return {
      statistics: session.encryptVector(new Float64Array(statisticsValues).fill(1)),
      training: session.encryptVector(trainingVector(syntheticWeightedUpdate(modelParameters, 11), SYNTHETIC_SAMPLE_COUNT, 0)),
      evaluation: session.encryptVector(new Float64Array(EVALUATION_VALUES)),
      statisticsLength: statisticsValues,
      trainingLength: countTrainingValues(modelParameters),
    };
  } finally {
    session.dispose();
  }
}

export interface LoadGeneratorTimings {
  /** First arrival of the training round's round-started event to first arrival of its aggregate-ready. */
  readonly trainingRoundSeconds: number;
  /** Bytes of ciphertext each participant sent in the training round. */
  readonly trainingBytesPerParticipant: number;
}

function updateChunks(job: JobSpec, participantId: string, round: number, kind: RoundKind, chunks: readonly Uint8Array[], vectorLength: number): UpdateChunk[] {
  return chunks.map((ciphertext, chunkIndex) => ({
    jobId: job.jobId,
    participantId,
    round,
    chunkIndex,
    ciphertext,
    metadata: chunkIndex === 0 ? { kind, vectorLength, chunkCount: chunks.length } : undefined,
  }));
}

/**
 * One participant-like client: joins over gRPC, submits the pre-encrypted update of every round
 * through `GrpcFederationConnection.submitUpdate` as soon as the round starts, reports an empty
 * evaluation, and returns when the job finishes, with when (epoch ms) it saw the training round
 * start and its aggregate arrive. No training, no encryption on the clock.
 */
export async function runLoadParticipant(
  address: string,
  job: JobSpec,
  keyFingerprint: string,
  participantId: string,
  updates: PreparedUpdates,
): Promise<{ roundStartedAt: number | undefined; aggregateAt: number | undefined }> {
  let roundStartedAt: number | undefined;
  let aggregateAt: number | undefined;
  const connection = await GrpcFederationConnection.connect({ address, connectTimeoutMs: 60_000 });
  try {
    for await (const event of connection.join({ jobId: job.jobId, participantId, protocolVersion: PROTOCOL_VERSION, keyFingerprint })) {
      if (event.type === 'round-started') {
        if (event.kind === 'training') roundStartedAt ??= Date.now();
        const [chunks, length] =
          event.kind === 'training'
            ? [updates.training, updates.trainingLength]
            : event.kind === 'evaluation'
              ? [updates.evaluation, EVALUATION_VALUES]
              : [updates.statistics, updates.statisticsLength];
        const receipt = await connection.submitUpdate(updateChunks(job, participantId, event.round, event.kind, chunks, length));
        if (!receipt.accepted) throw new Error(`${participantId}: round ${event.round} update refused: ${receipt.reason}`);
      } else if (event.type === 'aggregate-ready' && event.kind === 'training') {
        aggregateAt ??= Date.now();
      } else if (event.type === 'aggregate-ready' && event.kind === 'evaluation') {
        // Single-key custody: the nodes report the federation's (here empty) evaluation.
        const report = { jobId: job.jobId, participantId, round: event.round, evaluationCount: 0, auc: 0, loss: 0, totalSamples: 0, meanTrainingLoss: 0 };
        const receipt = await connection.reportEvaluation(report);
        if (!receipt.accepted) throw new Error(`${participantId}: evaluation refused: ${receipt.reason}`);
      } else if (event.type === 'job-failed') {
        throw new Error(`${participantId}: job failed: ${event.reason}`);
      } else if (event.type === 'job-finished') {
        break;
      }
    }
  } finally {
    connection.close();
  }
  return { roundStartedAt, aggregateAt };
}

/** Every participant of the job as such a client in this process; the round as the first of them saw it. */
export async function runLoadGenerators(address: string, job: JobSpec, keys: CoordinatorKeys, updates: PreparedUpdates): Promise<LoadGeneratorTimings> {
  const timings = await Promise.all(job.federation.participants.map((id) => runLoadParticipant(address, job, keys.manifest.keyFingerprint, id, updates)));
  return {
    trainingRoundSeconds: firstRoundSeconds(timings),
    trainingBytesPerParticipant: updates.training.reduce((total, chunk) => total + chunk.length, 0),
  };
}

/** First training round-started to first aggregate, across participants, in seconds. */
export function firstRoundSeconds(timings: readonly { roundStartedAt?: number | undefined; aggregateAt?: number | undefined }[]): number {
  const started = Math.min(...timings.map((timing) => timing.roundStartedAt ?? Number.POSITIVE_INFINITY));
  const ready = Math.min(...timings.map((timing) => timing.aggregateAt ?? Number.POSITIVE_INFINITY));
  if (!Number.isFinite(started) || !Number.isFinite(ready)) throw new Error('the training round never started or never produced an aggregate');
  return (ready - started) / 1000;
}
