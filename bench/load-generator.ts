import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { PROTOCOL_VERSION, type RoundKind, type UpdateChunk } from '../protocols/wire/federation-messages.js';
import { syntheticJobSizes } from './synthetic-job.js';
import { SYNTHETIC_SAMPLE_COUNT, syntheticWeightedUpdate } from './synthetic-update.js';

/** Pre-encrypted updates for both rounds of a synthetic job; every load-generating participant sends these. */
export interface PreparedUpdates {
  readonly statistics: readonly Uint8Array[];
  readonly training: readonly Uint8Array[];
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
      training: session.encryptVector(syntheticWeightedUpdate(modelParameters, 11)),
      statisticsLength: statisticsValues,
      trainingLength: modelParameters,
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
    metadata: chunkIndex === 0 ? { kind, sampleCount: SYNTHETIC_SAMPLE_COUNT, localLoss: 0, vectorLength, chunkCount: chunks.length } : undefined,
  }));
}

/**
 * Participant-like clients: each joins over gRPC, submits the pre-encrypted update of every round
 * through `GrpcFederationConnection.submitUpdate` as soon as the round starts, reports an empty
 * evaluation, and returns when the job finishes. No training, no encryption on the clock.
 */
export async function runLoadGenerators(address: string, job: JobSpec, keys: CoordinatorKeys, updates: PreparedUpdates): Promise<LoadGeneratorTimings> {
  let roundStarted: number | undefined;
  let aggregateReady: number | undefined;
  const runOne = async (participantId: string): Promise<void> => {
    const connection = await GrpcFederationConnection.connect({ address, connectTimeoutMs: 30_000 });
    try {
      const events = connection.join({ jobId: job.jobId, participantId, protocolVersion: PROTOCOL_VERSION, keyFingerprint: keys.manifest.keyFingerprint });
      for await (const event of events) {
        if (event.type === 'round-started') {
          if (event.kind === 'training') roundStarted ??= performance.now();
          const [chunks, length] = event.kind === 'training' ? [updates.training, updates.trainingLength] : [updates.statistics, updates.statisticsLength];
          const receipt = await connection.submitUpdate(updateChunks(job, participantId, event.round, event.kind, chunks, length));
          if (!receipt.accepted) throw new Error(`${participantId}: round ${event.round} update refused: ${receipt.reason}`);
        } else if (event.type === 'aggregate-ready' && event.kind === 'training') {
          aggregateReady ??= performance.now();
          const receipt = await connection.reportEvaluation({ jobId: job.jobId, participantId, round: event.round, evaluationCount: 0, auc: 0, loss: 0 });
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
  };
  await Promise.all(job.federation.participants.map(runOne));
  if (roundStarted === undefined || aggregateReady === undefined) throw new Error('the training round never started or never produced an aggregate');
  return {
    trainingRoundSeconds: (aggregateReady - roundStarted) / 1000,
    trainingBytesPerParticipant: updates.training.reduce((total, chunk) => total + chunk.length, 0),
  };
}
