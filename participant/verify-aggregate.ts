import { createHash, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { CkksSession } from '../protocols/ckks/ckks-session.js';
import { HeflError } from '../protocols/errors.js';
import { UpdateDigest, verifyUpdateSignature } from '../protocols/identity/participant-identity.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { CoordinatorEvent } from '../protocols/wire/federation-messages.js';
import { detectionProbability, sampleChunkIndices } from './aggregate-sample.js';
import type { FederationConnection } from './federation-connection.js';
import { describeSealFailure } from '../protocols/ckks/describe-seal-failure.js';

export interface AggregateVerification {
  readonly job: JobSpec;
  readonly participantId: string;
  readonly identities: ReadonlyMap<string, KeyObject>;
  readonly connection: FederationConnection;
  /** A key-less session: loads and adds ciphertexts. */
  readonly session: CkksSession;
  readonly logger: Logger;
  readonly request: Extract<CoordinatorEvent, { type: 'decryption-requested' }>;
  readonly aggregate: readonly Uint8Array[];
  /** Check this many chunks, drawn afresh (privacy.verificationSampleChunks); every chunk when absent. */
  readonly sampleChunks?: number | undefined;
}

function refusal(message: string): HeflError {
  return new HeflError('PROTOCOL_VIOLATION', message);
}

/**
 * Re-sums the signed contributions and refuses (PROTOCOL_VIOLATION) unless, chunk for chunk, the sum
 * is bit for bit the aggregate this node was asked to decrypt: a coordinator cannot pass one update
 * off as the aggregate. Each contributor's signature covers the SHA-256 of every chunk of its update,
 * so a sample of chunks is checked against the signed update as firmly as all of them.
 */
export async function verifyAggregate(input: AggregateVerification): Promise<void> {
  const { job, request: event, aggregate, session, logger } = input;
  const sampled = input.sampleChunks !== undefined && input.sampleChunks < event.chunkCount ? sampleChunkIndices(event.chunkCount, input.sampleChunks) : undefined;
  const checked = sampled ?? Array.from({ length: event.chunkCount }, (_, index) => index);
  const sums = new Map<number, ReturnType<CkksSession['loadCiphertext']>>();
  const seen = new Map<string, { received: number[]; signature: Uint8Array | undefined; hashes: readonly Uint8Array[] | undefined }>();
  const where = `round ${event.round} (${event.kind})`;
  try {
    const fetch = { jobId: job.jobId, participantId: input.participantId, round: event.round, kind: event.kind, ...(sampled ? { chunkIndices: sampled } : {}) };
    for await (const chunk of input.connection.fetchContributions(fetch)) {
      const entry = seen.get(chunk.participantId) ?? { received: [], signature: undefined, hashes: undefined };
      seen.set(chunk.participantId, entry);
      if (chunk.updateSignature) entry.signature = chunk.updateSignature;
      if (chunk.chunkHashes) entry.hashes = chunk.chunkHashes;
      if (chunk.chunkIndex !== checked[entry.received.length] || chunk.chunkCount !== event.chunkCount) {
        throw refusal(`${where}: the contribution of ${chunk.participantId} arrived out of order or with chunks not asked for`);
      }
      const listed = entry.hashes?.[chunk.chunkIndex];
      if (!listed || Buffer.compare(createHash('sha256').update(chunk.ciphertext).digest(), listed) !== 0) {
        throw refusal(`${where}: chunk ${chunk.chunkIndex} of ${chunk.participantId}'s contribution is not the one its signed update lists`);
      }
      entry.received.push(chunk.chunkIndex);
      const ciphertext = session.loadCiphertext(chunk.ciphertext, `contribution of ${chunk.participantId}, chunk ${chunk.chunkIndex}`);
      const sum = sums.get(chunk.chunkIndex);
      if (sum) {
        session.addInPlace(sum, ciphertext);
        session.release(ciphertext);
      } else {
        sums.set(chunk.chunkIndex, ciphertext);
      }
    }
    const contributors = [...seen.keys()].sort();
    if (contributors.join(',') !== [...event.contributors].sort().join(',')) {
      throw refusal(`${where}: contributions from ${contributors.join(', ')}, the request names ${event.contributors.join(', ')}`);
    }
    for (const [participantId, entry] of seen) {
      const identity = input.identities.get(participantId);
      const context = { jobId: job.jobId, participantId, round: event.round, kind: event.kind, vectorLength: event.vectorLength, chunkCount: event.chunkCount };
      const signed =
        entry.signature !== undefined &&
        entry.hashes?.length === event.chunkCount &&
        identity !== undefined &&
        verifyUpdateSignature(identity, context, UpdateDigest.ofChunkHashes(entry.hashes), entry.signature);
      if (entry.received.length !== checked.length || !signed) throw refusal(`${where}: the contribution of ${participantId} is incomplete or not signed by it`);
    }
    for (const index of checked) {
      const served = session.loadCiphertext(aggregate[index] as Uint8Array, `aggregate chunk ${index}`);
      const expected = sums.get(index);
      const same = expected !== undefined && Buffer.compare(session.serializeCiphertext(served, 'none'), session.serializeCiphertext(expected, 'none')) === 0;
      session.release(served);
      if (!same) throw refusal(`${where}: the aggregate is not the sum of the signed contributions (chunk ${index}); refusing to decrypt it`);
    }
    if (sampled) {
      const oneTampered = detectionProbability(event.chunkCount, 1, sampled.length);
      logger.info({ round: event.round, kind: event.kind, contributors: contributors.length, chunksChecked: sampled.length, chunkCount: event.chunkCount, detectionIfOneChunkAltered: oneTampered }, 'aggregate verified on a random sample of chunks against every signed contribution');
    } else {
      logger.info({ round: event.round, kind: event.kind, contributors: contributors.length }, 'aggregate verified against every signed contribution');
    }
  } catch (error) {
    logger.warn({ round: event.round, reason: describeSealFailure(error) }, 'refused to decrypt an unverified aggregate');
    throw error;
  } finally {
    for (const sum of sums.values()) session.release(sum);
  }
}
