/**
 * One load-generating participant in its own OS process (the 20-participant load bench): joins the
 * coordinator over gRPC, submits a pre-encrypted update in every round, reports an empty
 * evaluation, and prints one JSON line with when (epoch ms) it saw the training round start and its
 * aggregate arrive. No training and no encryption on the clock.
 * Run with: node --import tsx bench/load-participant-process.ts ADDRESS JOB_FILE UPDATES_FILE PARTICIPANT_ID KEY_FINGERPRINT
 */
import { readFile } from 'node:fs/promises';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { PROTOCOL_VERSION, type RoundKind, type UpdateChunk } from '../protocols/wire/federation-messages.js';
import { readPreparedUpdates } from './prepared-updates-file.js';
import { SYNTHETIC_SAMPLE_COUNT } from './synthetic-update.js';

const [address, jobFile, updatesFile, participantId, keyFingerprint] = process.argv.slice(2) as [string, string, string, string, string];
const job = jobSpecSchema.parse(JSON.parse(await readFile(jobFile, 'utf8')));
const updates = await readPreparedUpdates(updatesFile);

function chunksFor(round: number, kind: RoundKind): UpdateChunk[] {
  const [chunks, vectorLength] = kind === 'training' ? [updates.training, updates.trainingLength] : [updates.statistics, updates.statisticsLength];
  return chunks.map((ciphertext, chunkIndex) => ({
    jobId: job.jobId,
    participantId,
    round,
    chunkIndex,
    ciphertext,
    metadata: chunkIndex === 0 ? { kind, sampleCount: SYNTHETIC_SAMPLE_COUNT, localLoss: 0, vectorLength, chunkCount: chunks.length } : undefined,
  }));
}

let roundStartedAt: number | undefined;
let aggregateAt: number | undefined;
const connection = await GrpcFederationConnection.connect({ address, connectTimeoutMs: 60_000 });
try {
  for await (const event of connection.join({ jobId: job.jobId, participantId, protocolVersion: PROTOCOL_VERSION, keyFingerprint })) {
    if (event.type === 'round-started') {
      if (event.kind === 'training') roundStartedAt = Date.now();
      const receipt = await connection.submitUpdate(chunksFor(event.round, event.kind));
      if (!receipt.accepted) throw new Error(`${participantId}: round ${event.round} update refused: ${receipt.reason}`);
    } else if (event.type === 'aggregate-ready' && event.kind === 'training') {
      aggregateAt = Date.now();
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
process.stdout.write(`${JSON.stringify({ participantId, roundStartedAt, aggregateAt })}\n`);
setImmediate(() => process.exit(0));
