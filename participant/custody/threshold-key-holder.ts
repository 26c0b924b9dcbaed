import { createHash, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import {
  combinePublicShares,
  createDecryptionShare,
  createKeyShare,
  createSeedContribution,
  deriveCommonSeed,
  publicShareCommitment,
  ThresholdCkksContext,
  verifySeedReveal,
  c1Digests,
  contributorSetDigest,
} from '../../protocols/ckks/threshold/index.js';
import { HeflError, KeyCustodyError } from '../../protocols/errors.js';
import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import type { CkksWorkerPool } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import {
  loadIdentityPublicKey,
  signKeySetupValue,
  verifyKeySetupValue,
} from '../../protocols/identity/participant-identity.js';
import { assertCommittee, committeeDigest, committeeKeyShare } from '../../protocols/ckks/threshold-t-of-n/index.js';
import { decryptionThreshold, usesTofnCustody, type JobSpec } from '../../protocols/job/job-spec.js';
import type { CoordinatorEvent, KeySetupStep, SignedValue } from '../../protocols/wire/federation-messages.js';
import type { FederationConnection } from '../federation-connection.js';
import type { DecryptionGuard } from '../decryption-guard.js';
import { verifyAggregate } from '../verify-aggregate.js';
import type { PrivacyFloor } from '../privacy-policy.js';
import { TofnResharing, tofnShareFileOf } from './tofn-resharing.js';

type Event<T extends CoordinatorEvent['type']> = Extract<CoordinatorEvent, { type: T }>;

function protocolViolation(message: string): HeflError {
  return new HeflError('PROTOCOL_VIOLATION', message);
}

/**
 * A participant's half of N-of-N threshold CKKS. It makes this node's secret share locally (it never
 * leaves the node), checks every other party's signed commitments and shares so neither the
 * coordinator nor a rogue participant can bias the common polynomial or cancel the others' shares,
 * and releases at most one partial decryption per round, only for the aggregate it was asked about.
 */
export class ThresholdKeyHolder {
  private readonly identities: ReadonlyMap<string, KeyObject>;
  private readonly seen = new Map<KeySetupStep, readonly SignedValue[]>();
  private seedContribution: { seed: Uint8Array; commitment: string } | undefined;
  private keyShare: { secretShare: Uint8Array; publicShare: Uint8Array } | undefined;
  private commonSeed: Uint8Array | undefined;
  /** SEAL contexts for key and decryption shares, built once per job rather than per call. */
  private context: ThresholdCkksContext | undefined;
  /** verifyAggregate: a key-less session that loads and adds the contributions. */
  private publicSession: CkksSession | undefined;
  /** t-of-N custody (t < N): the resharing and this node's S(α_self); undefined under N-of-N. */
  private readonly tofn: TofnResharing | undefined;
  private collectiveKey: Uint8Array | undefined;

  constructor(
    private readonly job: JobSpec,
    private readonly participantId: string,
    private readonly identityKey: KeyObject,
    roster: Readonly<Record<string, string>>,
    private readonly connection: FederationConnection,
    private readonly logger: Logger,
    private readonly secretShareFile: string | undefined,
    /** This node's privacy floor for the job and the durable record of what it released. */
    private readonly floor: PrivacyFloor,
    private readonly guard: DecryptionGuard,
    private readonly onRefusal?: (messageType: string, reason: string) => void,
  ) {
    const missing = job.federation.participants.filter((id) => !roster[id]);
    if (missing.length > 0) throw new KeyCustodyError(`the identity roster lacks ${missing.join(', ')}`);
    this.identities = new Map(Object.entries(roster).map(([id, pem]) => [id, loadIdentityPublicKey(pem)]));
    this.tofn = usesTofnCustody(job)
      ? new TofnResharing({
          job,
          participantId,
          identityKey,
          identities: this.identities,
          logger,
          guard,
          shareFile: secretShareFile === undefined ? undefined : tofnShareFileOf(secretShareFile),
          thresholdContext: () => this.thresholdContext(),
          send: (step, value) => this.send(step, value),
        })
      : undefined;
  }

  async onKeySetupRequested(event: Event<'key-setup-requested'>): Promise<void> {
    switch (event.step) {
      case 'seed-commitment': {
        this.seedContribution = createSeedContribution({ jobId: this.job.jobId, participantId: this.participantId });
        await this.send('seed-commitment', Buffer.from(this.seedContribution.commitment, 'hex'));
        return;
      }
      case 'seed-reveal': {
        this.checkRelayed('seed-commitment', event.previous, Buffer.from(this.requireSeed().commitment, 'hex'));
        await this.send('seed-reveal', this.requireSeed().seed);
        return;
      }
      case 'share-commitment': {
        const reveals = this.checkRelayed('seed-reveal', event.previous, this.requireSeed().seed);
        const commitments = this.seen.get('seed-commitment') ?? [];
        for (const reveal of reveals) {
          const commitment = commitments.find((entry) => entry.participantId === reveal.participantId);
          const context = { jobId: this.job.jobId, participantId: reveal.participantId };
          if (!commitment || !verifySeedReveal(Buffer.from(commitment.value).toString('hex'), reveal.value, context)) {
            throw protocolViolation(`${reveal.participantId}'s seed does not open its commitment`);
          }
        }
        this.commonSeed = deriveCommonSeed(this.job.jobId, reveals.map((reveal) => ({ participantId: reveal.participantId, seed: reveal.value })));
        this.keyShare = await createKeyShare(await this.thresholdContext(), this.commonSeed);
        await this.storeSecretShare(this.keyShare.secretShare);
        const commitment = publicShareCommitment(this.job.jobId, this.participantId, this.keyShare.publicShare);
        await this.send('share-commitment', Buffer.from(commitment, 'hex'));
        return;
      }
      case 'public-share': {
        const share = this.requireKeyShare();
        this.checkRelayed('share-commitment', event.previous, Buffer.from(publicShareCommitment(this.job.jobId, this.participantId, share.publicShare), 'hex'));
        await this.send('public-share', share.publicShare);
        return;
      }
      case 'sealing-key':
      case 'shamir-share':
      case 'canary-share': {
        if (!this.tofn) throw protocolViolation(`a t-of-N key-setup step (${event.step}) under N-of-N custody`);
        await this.tofn.onStep(event.step, event.previous, this.requireKeyShare().secretShare, this.collectiveKey);
        return;
      }
    }
  }

  /** Re-sums every signed share itself and checks the coordinator's collective key against it. */
  async onKeySetupComplete(event: Event<'key-setup-complete'>): Promise<Uint8Array> {
    // This node did not take part in the steps before: it restarted without saved state and catches up.
    if (!this.seen.has('share-commitment')) return this.rebuildCollectiveKey(event);
    const share = this.requireKeyShare();
    const shares = this.checkRelayed('public-share', event.publicShares, share.publicShare);
    const commitments = this.seen.get('share-commitment') ?? [];
    for (const entry of shares) {
      const commitment = commitments.find((candidate) => candidate.participantId === entry.participantId);
      const expected = publicShareCommitment(this.job.jobId, entry.participantId, entry.value);
      if (!commitment || Buffer.from(commitment.value).toString('hex') !== expected) {
        throw protocolViolation(`${entry.participantId}'s public-key share does not match the commitment it made first`);
      }
    }
    const collective = await combinePublicShares(await this.thresholdContext(), this.commonSeed as Uint8Array, shares.map((entry) => entry.value));
    const sha256 = createHash('sha256').update(collective).digest('hex');
    if (sha256 !== event.collectiveKeySha256) {
      throw protocolViolation('the coordinator\'s collective public key differs from the sum of the signed shares; refusing to encrypt under it');
    }
    this.logger.info({ collectiveKeySha256: sha256 }, 'collective public key verified');
    this.collectiveKey = collective;
    return collective;
  }

  /**
   * Catching up after a restart without saved state: this node's secret share from its file, and the
   * collective key rebuilt from signed values only (every seed reveal and public-key share must carry
   * its owner's identity signature, so the coordinator can neither forge nor swap one), checked
   * against the hash the coordinator names.
   */
  private async rebuildCollectiveKey(event: Event<'key-setup-complete'>): Promise<Uint8Array> {
    if (!this.keyShare) await this.restore();
    const reveals = this.checkSigned('seed-reveal', event.seedReveals ?? []);
    const shares = this.checkSigned('public-share', event.publicShares);
    this.commonSeed = deriveCommonSeed(this.job.jobId, reveals.map((reveal) => ({ participantId: reveal.participantId, seed: reveal.value })));
    const collective = await combinePublicShares(await this.thresholdContext(), this.commonSeed, shares.map((entry) => entry.value));
    const sha256 = createHash('sha256').update(collective).digest('hex');
    if (sha256 !== event.collectiveKeySha256) throw protocolViolation('the collective public key named by the coordinator differs from the sum of the signed shares; refusing to encrypt under it');
    this.logger.info({ collectiveKeySha256: sha256 }, 'collective public key rebuilt from the signed key-setup values; caught up with the key setup');
    return collective;
  }

  /**
   * One partial decryption, only of the aggregate the request names, and only when this node's
   * decryption guard (its privacy floor) allows it: enough contributors, itself among them when its
   * update was acknowledged, the aggregate the sum of the signed contributions, and one decryption
   * set per c1. A refusal is logged, recorded through `onRefusal` (the node's ledger) and thrown.
   */
  async onDecryptionRequested(
    event: Event<'decryption-requested'>,
    round: { current: number; ownUpdateAcknowledged: boolean },
    fetchAggregate: () => Promise<Uint8Array[]>,
  ): Promise<void> {
    const share = this.requireKeyShare();
    try {
      const committee = this.committeeOf(event);
      if (committee === null) return;
      if (event.round !== round.current) throw protocolViolation(`asked to decrypt round ${event.round} while in round ${round.current}`);
      if (event.round > this.job.training.rounds) throw protocolViolation(`round ${event.round} is beyond the job's ${this.job.training.rounds} rounds`);
      const started = performance.now();
      const chunks = await fetchAggregate();
      const fetchMs = performance.now() - started;
      const hash = createHash('sha256');
      for (const chunk of chunks) hash.update(chunk);
      if (hash.digest('hex') !== event.aggregateSha256 || chunks.length !== event.chunkCount) {
        throw protocolViolation(`the ciphertext served for round ${event.round} is not the aggregate the decryption request names`);
      }
      const request = { round: event.round, kind: event.kind, contributors: event.contributors, c1Sha256: await c1Digests(await this.thresholdContext(), chunks), committee };
      this.guard.check(request, { participantId: this.participantId, roster: this.job.federation.participants, floor: this.floor, ownUpdateAcknowledged: round.ownUpdateAcknowledged });
      const verifying = performance.now();
      if (this.floor.verifyAggregate || (this.job.custody.mode === 'threshold' && this.job.custody.verifyAggregate)) {
        this.publicSession ??= await CkksSession.create(this.job.ckks);
        await verifyAggregate({
          job: this.job,
          participantId: this.participantId,
          identities: this.identities,
          connection: this.connection,
          session: this.publicSession,
          logger: this.logger,
          request: event,
          aggregate: chunks,
          sampleChunks: this.floor.verificationSampleChunks,
        });
      }
      // Durable before the share leaves: a restarted node still knows this c1 was decrypted.
      await this.guard.record(request);
      const verifyMs = performance.now() - verifying;
      const sharing = performance.now();
      const smudging = { smudgingSigmaBits: this.job.custody.mode === 'threshold' ? this.job.custody.smudgingSigmaBits : 40 };
      // On the worker threads when the node runs them (large models), else in this thread: the same shares.
      // t-of-N: λ_self(T)·S(α_self), this member's additive share for the committee (wiped below).
      const key = committee && this.tofn
        ? await committeeKeyShare(await this.thresholdContext(), this.tofn.requireShare(), { roster: this.job.federation.participants, threshold: this.tofn.threshold, self: this.participantId, committee })
        : share.secretShare;
      let partial: Uint8Array[];
      try {
        partial =
          this.decryptionPool && this.decryptionPool.workerCount > 0 && !this.decryptionPool.isClosed
            ? await this.decryptionPool.decryptionShares(key, chunks, smudging)
            : await createDecryptionShare(await this.thresholdContext(), key, chunks, smudging);
      } finally {
        if (key !== share.secretShare) key.fill(0);
      }
      const shareMs = performance.now() - sharing;
      const submitting = performance.now();
      const contributorsSha256 = Buffer.from(contributorSetDigest(event.contributors), 'hex');
      const receipt = await this.connection.submitDecryptionShare(
        partial.map((bytes, chunkIndex) => ({
          jobId: this.job.jobId,
          participantId: this.participantId,
          round: event.round,
          chunkIndex,
          share: bytes,
          aggregateSha256: chunkIndex === 0 ? event.aggregateSha256 : undefined,
          c1Sha256: Buffer.from(request.c1Sha256[chunkIndex] as string, 'hex'),
          contributorsSha256: chunkIndex === 0 ? contributorsSha256 : undefined,
          committeeSha256: chunkIndex === 0 && committee ? Buffer.from(committeeDigest(committee), 'hex') : undefined,
        })),
      );
      // fetch: the aggregate; verify: c1 digests, the guard, re-summing the signed contributions (verifyAggregate); share: the partial decryption.
      const ms = (value: number): number => Math.round(value);
      this.logger.info({ round: event.round, kind: event.kind, fetchMs: ms(fetchMs), verifyMs: ms(verifyMs), shareMs: ms(shareMs), submitMs: ms(performance.now() - submitting) }, 'decryption share times');
      if (!receipt.accepted) this.logger.warn({ round: event.round, reason: receipt.reason }, 'decryption share refused');
    } catch (error) {
      if (error instanceof HeflError && error.code === 'PROTOCOL_VIOLATION') {
        this.logger.error({ round: event.round, kind: event.kind, reason: error.message }, 'refused to release a partial decryption');
        this.onRefusal?.('SubmitDecryptionShare', error.message);
      }
      throw error;
    }
  }

  /**
   * The committee this node is asked to decrypt for: undefined under N-of-N; null when this node is
   * not on it (nothing to release). Refuses a committee that is not exactly t distinct roster members.
   */
  private committeeOf(event: Event<'decryption-requested'>): readonly string[] | undefined | null {
    if (!this.tofn) {
      if (event.committee) throw protocolViolation(`round ${event.round}: a decryption committee under N-of-N custody (every participant decrypts)`);
      return undefined;
    }
    if (!event.committee) throw protocolViolation(`round ${event.round}: the decryption request names no committee (t-of-N custody)`);
    if (!event.committee.includes(this.participantId)) {
      this.logger.info({ round: event.round, kind: event.kind, committee: event.committee }, 'not on this decryption committee');
      return null;
    }
    try {
      return assertCommittee(event.committee, { roster: this.job.federation.participants, threshold: decryptionThreshold(this.job) as number, self: this.participantId });
    } catch (error) {
      throw protocolViolation(`round ${event.round}: ${(error as Error).message}`);
    }
  }

  /** Wipes the secret share from memory and frees the SEAL contexts. */
  dispose(): void {
    this.tofn?.wipe();
    this.keyShare?.secretShare.fill(0);
    this.seedContribution?.seed.fill(0);
    this.context?.[Symbol.dispose]();
    this.context = undefined;
    this.publicSession?.dispose();
    this.publicSession = undefined;
  }

  private async thresholdContext(): Promise<ThresholdCkksContext> {
    this.context ??= await ThresholdCkksContext.create(this.job.ckks);
    return this.context;
  }

  private async send(step: KeySetupStep, value: Uint8Array): Promise<void> {
    const signature = signKeySetupValue(this.identityKey, { jobId: this.job.jobId, participantId: this.participantId, step }, value);
    const receipt = await this.connection.submitKeySetup({ jobId: this.job.jobId, participantId: this.participantId, step, value, signature });
    if (!receipt.accepted) throw protocolViolation(`the coordinator refused our ${step}: ${receipt.reason}`);
  }

  /** Every participant's value for a step, each signed by its identity, ours unchanged. */
  private checkRelayed(step: KeySetupStep, values: readonly SignedValue[], own: Uint8Array): readonly SignedValue[] {
    this.checkSigned(step, values);
    const mine = values.find((value) => value.participantId === this.participantId);
    if (!mine || Buffer.compare(Buffer.from(mine.value), Buffer.from(own)) !== 0) throw protocolViolation(`our own ${step} was altered in relay`);
    this.seen.set(step, values);
    return values;
  }

  /** Every participant's value for a step, one each, each signed by its identity. */
  private checkSigned(step: KeySetupStep, values: readonly SignedValue[]): readonly SignedValue[] {
    const ids = values.map((value) => value.participantId).sort();
    const expected = [...this.job.federation.participants].sort();
    if (ids.join(',') !== expected.join(',')) throw protocolViolation(`the relayed ${step} values are from ${ids.join(', ')}, expected ${expected.join(', ')}`);
    for (const value of values) {
      const identity = this.identities.get(value.participantId) as KeyObject;
      if (!verifyKeySetupValue(identity, { jobId: this.job.jobId, participantId: value.participantId, step }, value.value, value.signature)) {
        throw protocolViolation(`the relayed ${step} of ${value.participantId} is not signed by its identity`);
      }
    }
    return values;
  }

  private requireSeed(): { seed: Uint8Array; commitment: string } {
    if (!this.seedContribution) throw protocolViolation('key setup steps arrived out of order');
    return this.seedContribution;
  }

  /**
   * After this node's process restarted: its secret share from its 0600 file (the decryption guard
   * reloads what it released from its own file).
   */
  async restore(): Promise<void> {
    if (!this.secretShareFile) throw protocolViolation('cannot rejoin under threshold custody without the secret share file');
    try {
      // Key setup is long over: only the secret share is needed again (for partial decryptions).
      this.keyShare = { secretShare: new Uint8Array(await readFile(this.secretShareFile)), publicShare: new Uint8Array(0) };
    } catch (error) {
      throw new KeyCustodyError(`${this.secretShareFile}: this node's secret key share cannot be read (${(error as Error).message}); without it the federation cannot decrypt`);
    }
    await this.tofn?.restore();
  }

  private decryptionPool: CkksWorkerPool | undefined;

  /** Partial decryptions may use the node's worker threads (one SEAL instance each). */
  useDecryptionPool(pool: CkksWorkerPool): void {
    this.decryptionPool = pool;
  }

  private requireKeyShare(): { secretShare: Uint8Array; publicShare: Uint8Array } {
    if (!this.keyShare) throw protocolViolation('no key share yet: key setup has not run');
    return this.keyShare;
  }

  private async storeSecretShare(secretShare: Uint8Array): Promise<void> {
    if (!this.secretShareFile) return;
    await mkdir(dirname(this.secretShareFile), { recursive: true, mode: 0o700 });
    await writeFile(this.secretShareFile, secretShare, { mode: 0o600 });
    await chmod(this.secretShareFile, 0o600);
  }
}
