import type { Logger } from 'pino';
import type { Contribution } from '../protocols/aggregation/encrypted-sum-aggregator.js';
import { HeflError, RoundFailedError } from '../protocols/errors.js';
import { UpdateDigest } from '../protocols/identity/participant-identity.js';
import type { Parsed, UpdateChunk } from '../protocols/wire/federation-messages.js';
import type { CoordinatorEvents } from './coordinator-events.js';
import type { CoordinatorCustody } from './custody/coordinator-custody.js';
import { REPLAY, type ParticipantRoster } from './participant-roster.js';
import type { IncomingUpdate, JobProgress } from './round-types.js';
import { describeSealFailure } from '../protocols/ckks/describe-seal-failure.js';

/** What taking in an update needs of the coordinator. */
export interface UpdateIntakeContext {
  readonly jobId: string;
  readonly progress: JobProgress;
  readonly roster: ParticipantRoster;
  readonly events: CoordinatorEvents;
  readonly custody: CoordinatorCustody;
  readonly logger: Logger;
}

/**
 * The first chunk of an update to the active round: checked against the round, then every chunk is
 * added to the running sum as it arrives; the update counts once finish() accepts it (the custody
 * may still refuse it, e.g. an unsigned update under threshold custody), and abort() takes it out again.
 */
export function openUpdate(context: UpdateIntakeContext, first: UpdateChunk): Parsed<IncomingUpdate> {
  const { progress, roster, events, custody, logger } = context;
  const round = progress.activeRound;
  const refuse = (reason: string): Parsed<IncomingUpdate> => {
    events.notify({ type: 'refused', what: 'update' });
    logger.warn({ participantId: first.participantId, round: first.round, reason }, 'update refused');
    return { success: false, reason };
  };
  if (first.jobId !== context.jobId) return refuse(`unknown job "${first.jobId}"`);
  if (!roster.isConnected(first.participantId)) return refuse(`participant "${first.participantId}" has not joined`);
  if (!round?.open) return refuse('no round is accepting updates');
  if (first.round !== round.plan.round) return refuse(`round ${first.round} is not the current round (${round.plan.round})`);
  if (!round.plan.participants.includes(first.participantId)) return refuse(`participant "${first.participantId}" is not part of round ${first.round}`);
  if (first.chunkIndex !== 0 || !first.metadata) return refuse('an update must start with chunk 0 carrying its metadata');
  if (!roster.freshNonce(first.participantId, first.nonce)) return refuse(REPLAY);
  const { metadata } = first;
  if (metadata.kind !== round.plan.kind) return refuse(`round ${first.round} is a ${round.plan.kind} round, the update says ${metadata.kind}`);
  if (metadata.vectorLength !== round.layout.vectorLength || metadata.chunkCount !== round.layout.chunkCount) {
    return refuse(
      `update layout ${metadata.vectorLength} values / ${metadata.chunkCount} chunks does not match the round's ` +
        `${round.layout.vectorLength} / ${round.layout.chunkCount}`,
    );
  }
  const accepted = round.digests.get(first.participantId);
  if (accepted !== undefined) return { success: true, data: duplicateCheck(logger, first, accepted) };
  let contribution: Contribution;
  try {
    // Each update weighs one contribution here: its sample count is inside the ciphertext.
    contribution = round.aggregator.begin(first.participantId, 1);
  } catch (error) {
    return refuse(describeSealFailure(error));
  }
  let closed = false;
  const digest = new UpdateDigest();
  let signature: Uint8Array | undefined;
  const incoming: IncomingUpdate = {
    accept: (chunk) => {
      if (closed || !round.open) throw new RoundFailedError(`round ${first.round} closed before the update was complete`);
      if (chunk.participantId !== first.participantId || chunk.round !== first.round || chunk.jobId !== first.jobId) {
        throw new HeflError('WIRE_MESSAGE_INVALID', 'chunks of one update must all carry the same job, participant and round');
      }
      const adding = performance.now();
      contribution.accept(chunk.chunkIndex, chunk.ciphertext);
      round.aggregationMs += performance.now() - adding;
      digest.add(chunk.ciphertext);
      round.uploads.set(first.participantId, (round.uploads.get(first.participantId) ?? 0) + 1);
      roster.seen(first.participantId);
      events.touched();
      if (chunk.updateSignature) signature = chunk.updateSignature;
    },
    finish: () => {
      if (closed || !round.open) return { accepted: false, reason: `round ${first.round} closed before the update was complete` };
      const finalDigest = digest.digest();
      const problem = custody.checkUpdate({ first, metadata, digest: finalDigest, signature });
      if (problem) {
        incoming.abort(problem);
        return { accepted: false, reason: problem };
      }
      if (signature) round.signatures.set(first.participantId, signature);
      round.chunkHashes.set(first.participantId, digest.chunkHashes());
      round.digests.set(first.participantId, Buffer.from(finalDigest).toString('hex'));
      try {
        const committing = performance.now();
        contribution.commit();
        round.aggregationMs += performance.now() - committing;
      } catch (error) {
        incoming.abort(describeSealFailure(error));
        return { accepted: false, reason: describeSealFailure(error) };
      }
      closed = true;
      round.inFlight.delete(incoming);
      round.uploads.delete(first.participantId);
      logger.info({ participantId: first.participantId, round: first.round }, `${custody.encryptsUpdates ? 'encrypted' : 'unencrypted'} update added to the aggregate`);
      events.touched();
      return { accepted: true };
    },
    abort: (reason) => {
      if (closed) return;
      closed = true;
      round.inFlight.delete(incoming);
      round.uploads.delete(first.participantId);
      contribution.abort();
      logger.warn({ participantId: first.participantId, round: first.round, reason }, 'partial update removed from the aggregate');
      events.touched();
    },
  };
  round.inFlight.add(incoming);
  try {
    incoming.accept(first);
  } catch (error) {
    incoming.abort(describeSealFailure(error));
    return refuse(describeSealFailure(error));
  }
  return { success: true, data: incoming };
}

/**
 * A participant that restarts or retries may resend an update the coordinator already added. The
 * copy is read to the end and acknowledged if it is identical; it is never added a second time.
 */
function duplicateCheck(logger: Logger, first: UpdateChunk, acceptedDigest: string): IncomingUpdate {
  const digest = new UpdateDigest();
  let valid = true;
  let expectedChunk = 0;
  const take = (chunk: UpdateChunk): void => {
    if (chunk.chunkIndex !== expectedChunk || chunk.participantId !== first.participantId || chunk.round !== first.round) valid = false;
    expectedChunk += 1;
    digest.add(chunk.ciphertext);
  };
  take(first);
  return {
    accept: take,
    finish: () => {
      if (valid && digest.digest().toString('hex') === acceptedDigest) {
        logger.info({ participantId: first.participantId, round: first.round }, 'duplicate of an accepted update acknowledged, not added again');
        return { accepted: true };
      }
      return { accepted: false, reason: `participant "${first.participantId}" already contributed a different update to round ${first.round}` };
    },
    abort: () => undefined,
  };
}
