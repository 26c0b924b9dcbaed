import { ciphertextsFor } from '../protocols/ckks/values-per-ciphertext.js';
import { UpdateDigest } from '../protocols/identity/participant-identity.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { RoundKind, UpdateChunk } from '../protocols/wire/federation-messages.js';
import type { JobState } from './job-state.js';
import type { ParticipantNode } from './participant-options.js';

/**
 * The upload: the custody's encryption stage turns the vector into chunks (participant/custody/),
 * which stream to the coordinator as each is ready; the first chunk carries the update's metadata,
 * the last the custody's signature over the hashes of all of them.
 */
export async function uploadUpdate(node: ParticipantNode, state: JobState, job: JobSpec, round: number, kind: RoundKind, vector: Float64Array, localMs = 0): Promise<void> {
  const { options, logger } = node;
  const { custody } = state;
  const { participantId, onProgress } = options;
  const chunkCount = ciphertextsFor(job.ckks, vector.length);
  const started = performance.now();
  const payloads = await custody.encodeUpdate(job, vector);
  // Time spent waiting for the encryption stage (the rest of the upload's wall time is the transfer).
  let encryptMs = performance.now() - started;
  const metadata = { kind, vectorLength: vector.length, chunkCount };
  async function* chunks(): AsyncGenerator<UpdateChunk> {
    const digest = new UpdateDigest();
    let bytesSent = 0;
    let waiting = performance.now();
    for await (const { chunkIndex, ciphertext } of payloads) {
      encryptMs += performance.now() - waiting;
      digest.add(ciphertext);
      const last = chunkIndex === chunkCount - 1;
      yield {
        jobId: job.jobId,
        participantId,
        round,
        chunkIndex,
        ciphertext,
        metadata: chunkIndex === 0 ? metadata : undefined,
        updateSignature: last ? custody.signUpdate({ jobId: job.jobId, participantId, round, ...metadata }, digest.digest()) : undefined,
      };
      bytesSent += ciphertext.byteLength;
      // Ciphertexts of one job are (nearly) the same size: the total is estimated from those sent.
      onProgress?.({ type: 'upload', round, bytesSent, bytesTotal: last ? bytesSent : Math.round((bytesSent / (chunkIndex + 1)) * chunkCount) });
      waiting = performance.now();
    }
    encryptMs += performance.now() - waiting;
    logger.debug({ round, chunkCount }, 'update streamed');
  }
  const receipt = await options.connection.submitUpdate(chunks());
  const totalMs = performance.now() - started;
  // localMs: training / statistics / evaluation on this node; encryptMs: waiting on the encryption stage
  // (it overlaps the transfer, so this is the part the upload could not hide); uploadMs: the rest, to the receipt.
  logger.info({ round, kind, localMs: Math.round(localMs), encryptMs: Math.round(encryptMs), uploadMs: Math.round(totalMs - encryptMs) }, 'round stage times');
  const what = custody.updateDescription;
  if (receipt.accepted) {
    state.acknowledged.add(`${round}:${kind}`);
    logger.info({ round, kind, chunkCount }, `${what} accepted`);
  } else logger.warn({ round, kind, reason: receipt.reason }, `${what} refused`);
}
