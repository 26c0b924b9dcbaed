import { collectiveKeyFingerprint, ThresholdCkksContext } from '../../protocols/ckks/threshold/index.js';
import { combineCommitteeShares } from '../../protocols/ckks/threshold-t-of-n/index.js';
import { RoundFailedError } from '../../protocols/errors.js';
import { decryptionThreshold, type Custody } from '../../protocols/job/job-spec.js';
import { TOFN_KEY_SETUP_STEPS, type KeySetupMessage, type Receipt, type TofnKeySetupStep } from '../../protocols/wire/federation-messages.js';
import type { AggregateReady } from '../round-types.js';
import type { CustodyContext } from './coordinator-custody.js';
import { ThresholdCustody } from './threshold-custody.js';
import { TofnKeyRelay } from './tofn-key-relay.js';

const isTofnStep = (step: string): step is TofnKeySetupStep => (TOFN_KEY_SETUP_STEPS as readonly string[]).includes(step);

/**
 * t-of-N threshold custody (custody.threshold = t < N): the N-of-N key setup, then a resharing into a
 * t-of-N Shamir sharing of the same key with a cover check; each round, a committee of t connected
 * participants decrypts, so a round survives N − t absent nodes. Any t participants can decrypt an
 * individual update together: the collusion bound is t − 1 (README, "t-of-N threshold custody").
 */
export class TofnThresholdCustody extends ThresholdCustody {
  private readonly threshold: number;
  private readonly relay: TofnKeyRelay;
  /**
   * A round whose decryption failed after some members released shares: its contributors and those
   * members. Each node's guard allows one contributor set per round, so the re-run waits for the same
   * contributors and names no member that released for another set.
   */
  private failed: { readonly key: string; readonly contributors: string; readonly count: number; readonly released: ReadonlySet<string> } | undefined;

  constructor(context: CustodyContext, custody: Extract<Custody, { mode: 'threshold' }>) {
    super(context, custody);
    this.threshold = decryptionThreshold(context.job) as number;
    this.relay = new TofnKeyRelay(context.job, this.threshold, (id) => this.keySetup.identityOf(id));
  }

  /** A round needs a committee of t and the job's quorum; a re-run waits (join deadline) for the failed attempt's contributors. */
  override get participantsNeeded(): number {
    const { job } = this.context;
    return Math.max(decryptionThreshold(job) as number, job.federation.minParticipants, this.failed?.count ?? 0);
  }

  protected override decryptionFailed(ready: AggregateReady, received: readonly string[]): void {
    this.context.roster.forgetFailedAttempt(ready.round, ready.kind);
    this.failed = { key: `${ready.round}:${ready.kind}`, contributors: [...ready.contributors].sort().join(','), count: ready.contributors.length, released: new Set(received) };
  }

  override async setUpKeys(): Promise<void> {
    await super.setUpKeys();
    const { job, roster, events, progress, logger } = this.context;
    const started = performance.now();
    progress.phase = 'key-setup';
    const step = async (name: TofnKeySetupStep, request: () => void): Promise<void> => {
      this.relay.begin(name);
      request();
      await events.waitFor(() => this.relay.missing().length === 0, Date.now() + job.federation.joinDeadlineSeconds * 1000);
      const missing = this.relay.missing();
      if (missing.length > 0) throw new RoundFailedError(`t-of-N key setup: no valid ${name} from ${missing.join(', ')} before the deadline`);
    };
    await step('sealing-key', () => roster.broadcast({ type: 'key-setup-requested', step: 'sealing-key', previous: [] }));
    await step('shamir-share', () => roster.broadcast({ type: 'key-setup-requested', step: 'shamir-share', previous: this.relay.signedSealingKeys() }));
    // Each node gets only the sealed shares addressed to it.
    await step('canary-share', () => {
      for (const id of job.federation.participants) roster.send(id, { type: 'key-setup-requested', step: 'canary-share', previous: this.relay.parcelsTo(id) });
    });
    this.thresholdContext ??= await ThresholdCkksContext.create(job.ckks);
    const outcome = await this.relay.checkCover(this.thresholdContext, collectiveKeyFingerprint(this.collectivePublicKey as Uint8Array));
    this.relay.clear();
    const failing = outcome.committees.filter((entry) => !entry.decrypted);
    if (failing.length > 0) {
      throw new RoundFailedError(
        `t-of-N setup check failed: committee${failing.length === 1 ? '' : 's'} ${failing.map((entry) => `{${entry.committee.join(', ')}}`).join(', ')} ` +
          `did not decrypt ${failing.length === 1 ? 'its' : 'their'} canary; inconsistent t-of-N share at ${outcome.suspects.join(', ')}; ` +
          'the job stops before training (start it again to redo the key setup)',
      );
    }
    progress.phase = 'idle';
    logger.info(
      { threshold: this.threshold, participants: job.federation.participants.length, coverCommittees: outcome.committees.length, resharingMs: Math.round(performance.now() - started) },
      't-of-N resharing done; every cover committee decrypted its canary',
    );
  }

  /**
   * The first t connected participants in sorted order (a deterministic committee of nodes present
   * now), leaving out any that released a share of this round for another contributor set.
   */
  protected override decryptionParties(ready: AggregateReady): { readonly parties: readonly string[]; readonly committee: readonly string[] } {
    const { job, roster } = this.context;
    const { round } = ready;
    const failed = this.failed?.key === `${round}:${ready.kind}` ? this.failed : undefined;
    this.failed = undefined;
    const otherSet = failed !== undefined && failed.contributors !== [...ready.contributors].sort().join(',');
    const present = [...job.federation.participants].sort().filter((id) => roster.isConnected(id) && !(otherSet && failed.released.has(id)));
    if (present.length < this.threshold) {
      throw new RoundFailedError(
        `round ${round}: only ${present.length} connected participants can decrypt this aggregate, a committee needs ${this.threshold} (custody.threshold)` +
          (otherSet ? `; ${[...failed.released].join(', ')} already released a share of this round for other contributors` : ''),
      );
    }
    const committee = present.slice(0, this.threshold);
    this.context.logger.info({ round, committee }, 'decryption committee named');
    return { parties: committee, committee };
  }

  protected override async combineShares(chunks: readonly Uint8Array[], parties: readonly string[], shares: ReadonlyMap<string, Uint8Array[]>, length: number): Promise<Float64Array> {
    this.thresholdContext ??= await ThresholdCkksContext.create(this.context.job.ckks);
    const rules = { roster: this.context.job.federation.participants, threshold: this.threshold, committee: parties };
    return combineCommitteeShares(this.thresholdContext, chunks, rules, shares, length);
  }

  protected override failsWhenPartyLeaves(): boolean {
    return true;
  }

  protected override acceptKeySetup(message: KeySetupMessage): Receipt {
    const { step } = message;
    return isTofnStep(step) ? this.relay.accept({ ...message, step }) : super.acceptKeySetup(message);
  }
}
