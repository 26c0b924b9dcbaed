import { createHash } from 'node:crypto';
import type { AggregateLayout, EncryptedSumAggregator, FinalizedAggregate } from '../../protocols/aggregation/encrypted-sum-aggregator.js';
import { PlaintextSumAggregator, type PlaintextAggregate } from '../../protocols/aggregation/plaintext-sum-aggregator.js';
import { combineDecryptionShares, ThresholdCkksContext } from '../../protocols/ckks/threshold/index.js';
import { HeflError, RoundFailedError } from '../../protocols/errors.js';
import { verifyUpdateSignature } from '../../protocols/identity/participant-identity.js';
import type { Custody } from '../../protocols/job/job-spec.js';
import {
  KEY_SETUP_STEPS,
  type ContributionChunk,
  type DecryptionShareChunk,
  type FetchAggregateRequest,
  type KeySetupMessage,
  type Parsed,
  type Receipt,
} from '../../protocols/wire/federation-messages.js';
import { REPLAY } from '../participant-roster.js';
import type { AggregateReady, IncomingDecryptionShare } from '../round-types.js';
import type { CoordinatorCustody, CustodyContext, ReceivedUpdate, RefuseShare } from './coordinator-custody.js';
import { ThresholdKeySetup } from './threshold-key-setup.js';
import { describeSealFailure } from '../../protocols/ckks/describe-seal-failure.js';

/** One round's joint decryption while the participants' shares come in. */
interface JointDecryption {
  readonly round: number;
  readonly aggregateSha256: string;
  readonly chunkCount: number;
  /** Who must send a share: every participant (N-of-N) or the round's committee (t-of-N). */
  readonly parties: readonly string[];
  readonly shares: Map<string, Uint8Array[]>;
  open: boolean;
}

/**
 * N-of-N threshold custody: the participants build the collective key without a dealer, every
 * update is signed, and each aggregate is decrypted jointly from every participant's share.
 */
export class ThresholdCustody implements CoordinatorCustody {
  readonly encryptsUpdates = true;
  readonly nodesReportEvaluations = false;
  protected readonly keySetup: ThresholdKeySetup;
  private decryption: JointDecryption | undefined;
  /** SEAL contexts for combining decryption shares, built once per job. */
  protected thresholdContext: ThresholdCkksContext | undefined;
  /** The collective public key once key setup assembled it (SEAL bytes). */
  protected collectivePublicKey: Uint8Array | undefined;

  constructor(
    protected readonly context: CustodyContext,
    private readonly custody: Extract<Custody, { mode: 'threshold' }>,
  ) {
    this.keySetup = new ThresholdKeySetup(context.job, context.keys.manifest.identities ?? {});
  }

  /** N-of-N: each node holds a share of the decryption key, so every round needs every node. */
  get participantsNeeded(): number {
    return this.context.job.federation.participants.length;
  }

  /** Who decrypts a round: every participant (N-of-N); t-of-N custody names a committee instead. */
  protected decryptionParties(_ready: AggregateReady): { readonly parties: readonly string[]; readonly committee?: readonly string[] } {
    return { parties: this.context.job.federation.participants };
  }

  /** A joint decryption failed for want of shares; `received` are those that did arrive. */
  protected decryptionFailed(_ready: AggregateReady, _received: readonly string[]): void {}

  /** c0 + the parties' shares, decoded. */
  protected async combineShares(chunks: readonly Uint8Array[], parties: readonly string[], shares: ReadonlyMap<string, Uint8Array[]>, length: number): Promise<Float64Array> {
    this.thresholdContext ??= await ThresholdCkksContext.create(this.context.job.ckks);
    return combineDecryptionShares(this.thresholdContext, [...chunks], parties.map((id) => shares.get(id) as Uint8Array[]), length);
  }

  /**
   * Whether a party that disconnects fails the decryption at once rather than at the deadline (t-of-N:
   * the round then runs again with fresh uploads, never a second committee for the same c1).
   */
  protected failsWhenPartyLeaves(): boolean {
    return false;
  }

  /** Dealer-free N-of-N key generation: four signed steps, each waiting for every participant. */
  async setUpKeys(): Promise<void> {
    const { job, roster, events, progress, logger } = this.context;
    const keySetup = this.keySetup;
    const missingAtStart = job.federation.participants.filter((id) => !roster.isConnected(id));
    if (missingAtStart.length > 0) {
      throw new RoundFailedError(`threshold custody needs every participant for key setup; missing: ${missingAtStart.join(', ')}`);
    }
    let previous: ReturnType<ThresholdKeySetup['valuesOf']> = [];
    progress.phase = 'key-setup';
    for (const step of KEY_SETUP_STEPS) {
      keySetup.begin(step);
      roster.broadcast({ type: 'key-setup-requested', step, previous });
      // Key setup is part of starting the job (each party builds SEAL contexts): it gets the join deadline.
      await events.waitFor(() => keySetup.submittedCount(step) === job.federation.participants.length, Date.now() + job.federation.joinDeadlineSeconds * 1000);
      const missing = keySetup.missing(step);
      if (missing.length > 0) throw new RoundFailedError(`key setup: no valid ${step} from ${missing.join(', ')} before the deadline`);
      previous = keySetup.valuesOf(step);
    }
    const collective = await keySetup.collectiveKey();
    this.collectivePublicKey = collective.publicKey;
    progress.collectiveKeySha256 = collective.sha256;
    logger.info({ collectiveKeySha256: collective.sha256 }, 'collective public key assembled from every participant\'s share');
    progress.phase = 'idle';
    // The seed reveals ride along: a node that later catches up without saved state rebuilds the key from these signed values.
    roster.broadcast({ type: 'key-setup-complete', publicShares: previous, collectiveKeySha256: collective.sha256, seedReveals: keySetup.valuesOf('seed-reveal') });
  }

  createAggregator(layout: AggregateLayout): EncryptedSumAggregator {
    const { strategy, session } = this.context;
    return strategy.createAggregator(session, layout, { retainContributions: this.custody.verifyAggregate });
  }

  /** Every update must carry its sender's identity signature over all its chunks. */
  checkUpdate({ first, metadata, digest, signature }: ReceivedUpdate): string | undefined {
    const identity = this.keySetup.identityOf(first.participantId);
    if (!signature || !identity) return `the update of ${first.participantId} is not signed; threshold custody requires signed updates`;
    const context = { jobId: first.jobId, participantId: first.participantId, round: first.round, ...metadata };
    if (!verifyUpdateSignature(identity, context, digest, signature)) return `the signature on ${first.participantId}'s update does not verify`;
    return undefined;
  }

  async publish(ready: AggregateReady, aggregate: FinalizedAggregate | PlaintextAggregate): Promise<Float64Array> {
    if (!('chunks' in aggregate)) throw new Error('threshold custody sums ciphertexts; a plaintext aggregate cannot occur');
    this.context.published.publishEncrypted(ready.kind, ready.round, aggregate.chunks);
    const values = await this.decryptJointly(ready, aggregate.chunks);
    this.context.roster.broadcast({ type: 'aggregate-decrypted', ...ready });
    return values;
  }

  /**
   * Asks every participant for a partial decryption bound to this aggregate's hash, and combines
   * them. One missing or late share fails the round: N-of-N cannot decrypt without it, and no new
   * global model is published, so the previous one stays in force.
   */
  private async decryptJointly(ready: AggregateReady, chunks: readonly Uint8Array[]): Promise<Float64Array> {
    const { job, progress, events, roster, published } = this.context;
    const hash = createHash('sha256');
    for (const chunk of chunks) hash.update(chunk);
    const { parties, committee } = this.decryptionParties(ready);
    const decryption: JointDecryption = { round: ready.round, aggregateSha256: hash.digest('hex'), chunkCount: ready.chunkCount, parties, shares: new Map(), open: true };
    this.decryption = decryption;
    progress.phase = 'decryption';
    events.touched();
    try {
      const requested = performance.now();
      roster.broadcast({ type: 'decryption-requested', ...ready, aggregateSha256: decryption.aggregateSha256, ...(committee ? { committee } : {}) });
      const failFast = this.failsWhenPartyLeaves();
      await events.waitFor(
        () => parties.every((id) => decryption.shares.has(id)) || (failFast && parties.some((id) => !decryption.shares.has(id) && !roster.isConnected(id))),
        Date.now() + job.federation.roundDeadlineSeconds * 1000,
      );
      decryption.open = false;
      const missing = parties.filter((id) => !decryption.shares.has(id));
      if (missing.length > 0) {
        this.decryptionFailed(ready, [...decryption.shares.keys()]);
        const left = missing.filter((id) => !roster.isConnected(id));
        throw new RoundFailedError(
          failFast && left.length > 0
            ? `round ${ready.round}: committee member ${left.join(', ')} left before sending its decryption share; ` +
                'the round runs again with fresh uploads (never a second committee for the same aggregate)'
            : `round ${ready.round}: no decryption share from ${missing.join(', ')} before the deadline; ` +
                'the aggregate stays encrypted and the previous global model stays in force',
        );
      }
      const sharesMs = Math.round(performance.now() - requested);
      const combining = performance.now();
      let values: Float64Array;
      try {
        values = await this.combineShares(chunks, parties, decryption.shares, ready.vectorLength);
      } catch (error) {
        throw new RoundFailedError(`round ${ready.round}: decryption shares do not combine: ${describeSealFailure(error)}`);
      }
      // sharesMs: the request to the last share (each node fetches the aggregate and decrypts its part).
      this.context.logger.info({ round: ready.round, kind: ready.kind, sharesMs, combineMs: Math.round(performance.now() - combining) }, 'joint decryption times');
      published.publishDecrypted(ready.kind, ready.round, values);
      return values;
    } finally {
      decryption.open = false;
      this.decryption = undefined;
    }
  }

  /** One signed key-setup value from a participant. */
  submitKeySetup(message: KeySetupMessage): Receipt {
    const { roster, events, logger } = this.context;
    if (!roster.isConnected(message.participantId)) return { accepted: false, reason: 'participant has not joined' };
    if (!roster.freshNonce(message.participantId, message.nonce)) return { accepted: false, reason: REPLAY };
    roster.seen(message.participantId);
    const receipt = this.acceptKeySetup(message);
    if (receipt.accepted) events.touched();
    else {
      logger.warn({ participantId: message.participantId, step: message.step, reason: receipt.reason }, 'key-setup message refused');
      events.notify({ type: 'refused', what: 'key-setup' });
    }
    return receipt;
  }

  /** A signed key-setup value the caller let through (joined, fresh nonce). */
  protected acceptKeySetup(message: KeySetupMessage): Receipt {
    return this.keySetup.accept(message);
  }

  /** The first chunk of a participant's partial decryption of the current aggregate. */
  openDecryptionShare(first: DecryptionShareChunk, refuse: RefuseShare): Parsed<IncomingDecryptionShare> {
    const { roster, events, logger } = this.context;
    const decryption = this.decryption;
    if (!decryption?.open || decryption.round !== first.round) return refuse(`round ${first.round} is not awaiting decryption shares`);
    if (first.chunkIndex !== 0 || first.aggregateSha256 !== decryption.aggregateSha256) {
      return refuse('a decryption share must start with chunk 0 naming the hash of this round\'s aggregate');
    }
    if (!roster.freshNonce(first.participantId, first.nonce)) return refuse(REPLAY);
    if (!decryption.parties.includes(first.participantId)) return refuse(`${first.participantId} is not on round ${first.round}'s decryption committee`);
    if (decryption.shares.has(first.participantId)) return refuse(`decryption share of ${first.participantId} already received`);
    const chunks: Uint8Array[] = [];
    let closed = false;
    const incoming: IncomingDecryptionShare = {
      accept: (chunk) => {
        if (closed || !decryption.open) throw new RoundFailedError(`round ${first.round} is no longer awaiting decryption shares`);
        if (chunk.participantId !== first.participantId || chunk.round !== first.round || chunk.chunkIndex !== chunks.length) {
          throw new HeflError('WIRE_MESSAGE_INVALID', `decryption share chunk ${chunk.chunkIndex} out of order (expected ${chunks.length})`);
        }
        if (chunks.length >= decryption.chunkCount) throw new HeflError('WIRE_MESSAGE_INVALID', 'more decryption share chunks than the aggregate has');
        chunks.push(chunk.share);
      },
      finish: () => {
        if (closed || !decryption.open) return { accepted: false, reason: `round ${first.round} is no longer awaiting decryption shares` };
        closed = true;
        if (chunks.length !== decryption.chunkCount) {
          return { accepted: false, reason: `decryption share has ${chunks.length} chunks, the aggregate ${decryption.chunkCount}` };
        }
        decryption.shares.set(first.participantId, chunks);
        roster.seen(first.participantId);
        logger.info({ participantId: first.participantId, round: first.round }, 'decryption share received');
        events.touched();
        return { accepted: true };
      },
      abort: () => {
        closed = true;
      },
    };
    try {
      incoming.accept(first);
    } catch (error) {
      return refuse(describeSealFailure(error));
    }
    return { success: true, data: incoming };
  }

  /** verifyAggregate: every signed contribution to the round awaiting decryption, chunk by chunk. */
  contributionsFor(request: FetchAggregateRequest): Parsed<Iterable<ContributionChunk>> {
    const { roster, progress } = this.context;
    if (!this.custody.verifyAggregate) return { success: false, reason: 'this job does not relay contributions (verifyAggregate is off)' };
    if (!roster.isConnected(request.participantId)) return { success: false, reason: 'participant has not joined' };
    const round = progress.activeRound;
    if (!round || round.plan.round !== request.round || round.plan.kind !== request.kind || this.decryption?.round !== request.round) {
      return { success: false, reason: `round ${request.round} is not awaiting decryption` };
    }
    const { aggregator, signatures, chunkHashes, layout } = round;
    if (aggregator instanceof PlaintextSumAggregator) return { success: false, reason: 'custody none relays no contributions' };
    const beyond = request.chunkIndices?.find((index) => index >= layout.chunkCount);
    if (beyond !== undefined) return { success: false, reason: `chunk ${beyond} is beyond the aggregate's ${layout.chunkCount} chunks` };
    // A node verifying a sample asks for some chunks; each contributor's signature and chunk hashes come first.
    const wanted = request.chunkIndices ? new Set(request.chunkIndices) : undefined;
    const encrypted: EncryptedSumAggregator = aggregator;
    const contributors = [...signatures.keys()].sort();
    function* chunks(): Generator<ContributionChunk> {
      for (const participantId of contributors) {
        let chunkIndex = 0;
        let first = true;
        for (const ciphertext of encrypted.contributionChunks(participantId)) {
          if (!wanted || wanted.has(chunkIndex)) {
            yield {
              participantId,
              chunkIndex,
              ciphertext,
              chunkCount: layout.chunkCount,
              updateSignature: first ? signatures.get(participantId) : undefined,
              chunkHashes: first ? chunkHashes.get(participantId) : undefined,
            };
            first = false;
          }
          chunkIndex += 1;
        }
      }
    }
    return { success: true, data: chunks() };
  }

  awaitsDecryptionShareFrom(participantId: string): boolean {
    return this.decryption !== undefined && this.decryption.parties.includes(participantId) && !this.decryption.shares.has(participantId);
  }

  dispose(): void {
    this.thresholdContext?.[Symbol.dispose]();
  }
}
