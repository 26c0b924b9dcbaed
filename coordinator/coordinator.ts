import pino, { type Logger } from 'pino';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { RoundFailedError } from '../protocols/errors.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { assertKeysMatchJob } from '../protocols/keys/assert-keys-match-job.js';
import type {
  ContributionChunk,
  DecryptedChunk,
  DecryptionShareChunk,
  EvaluationReport,
  FailureReport,
  FetchAggregateRequest,
  JoinRequest,
  KeySetupMessage,
  Parsed,
  Receipt,
  UpdateChunk,
} from '../protocols/wire/federation-messages.js';
import { CoordinatorEvents } from './coordinator-events.js';
import type { CoordinatorCustody } from './custody/coordinator-custody.js';
import { createCoordinatorCustody } from './custody/create-coordinator-custody.js';
import { jobReport, participantActivity } from './job-report.js';
import { ParticipantRoster, REPLAY } from './participant-roster.js';
import { PublishedAggregates } from './published-aggregates.js';
import { shouldStopEarly } from './early-stopping.js';
import { runRoundWithRetries, type RoundContext } from './run-round.js';
import {
  lastCompletedRound,
  type CoordinatorObservation,
  type CoordinatorOptions,
  type CoordinatorStatus,
  type EventSink,
  type IncomingDecryptionShare,
  type IncomingUpdate,
  type JobProgress,
  type JobReport,
  type ParticipantActivity,
} from './round-types.js';
import { openUpdate } from './update-intake.js';
import { describeSealFailure } from '../protocols/ckks/describe-seal-failure.js';

/** Longest wait, after the last round, for every node to fetch the last published sum. */
const FINAL_FETCH_SECONDS = 30;

// The types every caller of the coordinator uses stay importable from here.
export type {
  CoordinatorObservation,
  CoordinatorOptions,
  CoordinatorStatus,
  EventSink,
  IncomingDecryptionShare,
  IncomingUpdate,
  JobReport,
  JobRoundKind,
  ParticipantActivity,
  ParticipantActivityState,
  RoundSummary,
} from './round-types.js';

/**
 * The coordinator's side of a federation, independent of any transport: a facade over the
 * participant roster (participant-roster.ts), update intake (update-intake.ts), the round's named
 * steps (run-round.ts) and the job's key custody (custody/). It is built from public key material
 * only, so it can add ciphertexts but cannot read a single update or the aggregate.
 */
export class Coordinator {
  private readonly progress: JobProgress;
  private readonly events: CoordinatorEvents;
  private readonly roster: ParticipantRoster;
  private readonly published: PublishedAggregates;
  private readonly custody: CoordinatorCustody;
  private readonly strategy: FederatedStrategy;
  private readonly logger: Logger;
  private readonly context: RoundContext;

  private constructor(
    private readonly options: CoordinatorOptions,
    private readonly session: CkksSession,
  ) {
    const { job, keys, resume } = options;
    this.strategy = options.strategy ?? federatedAveraging;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.progress = {
      status: 'created',
      failure: null,
      phase: 'idle',
      activeRound: undefined,
      collectiveKeySha256: resume?.collectiveKeySha256 ?? null,
      bytesReceived: resume?.bytesReceived ?? 0,
      bytesSent: resume?.bytesSent ?? 0,
      startedAt: resume?.startedAt ?? new Date().toISOString(),
      finishedAt: null,
      rounds: [...(resume?.rounds ?? [])],
      evaluations: new Map(),
    };
    this.events = new CoordinatorEvents(this.logger);
    const restoredSampleCounts = new Map(Object.entries(resume?.sampleCounts ?? {}));
    this.roster = new ParticipantRoster(job, keys.manifest.keyFingerprint, this.progress, this.events, this.logger, restoredSampleCounts);
    this.published = new PublishedAggregates(session.slotCount);
    const shared = { job, keys, session, strategy: this.strategy, progress: this.progress, roster: this.roster, events: this.events, published: this.published, logger: this.logger };
    this.custody = createCoordinatorCustody(shared);
    this.context = {
      ...shared,
      custody: this.custody,
      strategyName: this.strategy.name,
      stateFile: options.stateFile,
      onRoundCompleted: options.onRoundCompleted,
    };
  }

  static async create(options: CoordinatorOptions): Promise<Coordinator> {
    const { job, keys } = options;
    assertKeysMatchJob(keys.manifest, job, 'coordinator');
    // No secret key, ever: the coordinator's session can check and add ciphertexts, never decrypt.
    const session = await CkksSession.create(job.ckks, keys.publicKey ? { publicKey: keys.publicKey } : {});
    return new Coordinator(options, session);
  }

  get status(): CoordinatorStatus {
    return this.progress.status;
  }

  get job(): JobSpec {
    return this.options.job;
  }

  /** Subscribes to round, participant, refusal and status events; returns the unsubscribe function. */
  observe(observer: (observation: CoordinatorObservation) => void): () => void {
    return this.events.observe(observer);
  }

  /** Each listed participant's state, for dashboards; derived from what arrived, never from content. */
  participantActivity(): ParticipantActivity[] {
    return participantActivity(this.context);
  }

  connectedParticipants(): string[] {
    return this.roster.connected();
  }

  report(): JobReport {
    return jobReport(this.context);
  }

  // ---- called by the transport -------------------------------------------------------------

  join(request: JoinRequest, sink: EventSink): Receipt {
    return this.roster.join(request, sink);
  }

  leave(participantId: string): void {
    this.roster.leave(participantId);
  }

  openUpdate(first: UpdateChunk): Parsed<IncomingUpdate> {
    return openUpdate({ ...this.context, jobId: this.options.job.jobId }, first);
  }

  aggregateFor(request: FetchAggregateRequest): Parsed<readonly Uint8Array[]> {
    if (request.jobId !== this.options.job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    if (!this.roster.isConnected(request.participantId)) return { success: false, reason: `participant "${request.participantId}" has not joined` };
    return this.published.encryptedFor(request);
  }

  /** Single-key custody: a node's figures for the round just published (other custodies refuse them). */
  reportEvaluation(report: EvaluationReport): Receipt {
    if (report.jobId !== this.options.job.jobId) return { accepted: false, reason: `unknown job "${report.jobId}"` };
    if (!this.roster.isConnected(report.participantId)) return { accepted: false, reason: 'participant has not joined' };
    if (!this.roster.freshNonce(report.participantId, report.nonce)) return { accepted: false, reason: REPLAY };
    if (!this.custody.nodesReportEvaluations) return { accepted: false, reason: 'this job\'s evaluations travel encrypted; no node reports metrics in the clear' };
    if (report.round !== this.published.lastRound) return { accepted: false, reason: `round ${report.round} is not awaiting evaluations` };
    const reports = this.progress.evaluations.get(report.round) ?? new Map<string, EvaluationReport>();
    if (reports.has(report.participantId)) return { accepted: false, reason: 'evaluation for this round already reported' };
    reports.set(report.participantId, report);
    this.roster.seen(report.participantId);
    this.progress.evaluations.set(report.round, reports);
    this.events.touched();
    return { accepted: true };
  }

  /**
   * A node's one message about why it stops (a code, the phase, the round): recorded for the
   * dashboard and logged. When the wait in progress (a round, or key setup) cannot end without that
   * node (custody.participantsNeeded), it ends now instead of at its deadline; the round then runs
   * again once the node rejoined (runRoundWithRetries), the key setup fails the job.
   */
  reportFailure(report: FailureReport): Receipt {
    if (report.jobId !== this.options.job.jobId) return { accepted: false, reason: `unknown job "${report.jobId}"` };
    if (!this.roster.member(report.participantId)) return { accepted: false, reason: 'participant has not joined' };
    if (!this.roster.freshNonce(report.participantId, report.nonce)) return { accepted: false, reason: REPLAY };
    this.roster.recordFailure(report);
    const others = this.roster.connected().filter((id) => id !== report.participantId).length;
    const { phase } = this.progress;
    // A share already in still counts: that decryption can finish without the node.
    const needed = phase === 'key-setup' || phase === 'collecting-updates' || (phase === 'decryption' && this.custody.awaitsDecryptionShareFrom(report.participantId));
    if (this.progress.status === 'running' && needed && others < this.custody.participantsNeeded) {
      this.logger.warn({ participantId: report.participantId, phase }, 'a participant this step needs stopped; ending the step now instead of at its deadline');
      const where = phase === 'key-setup' ? 'key setup' : `round ${report.round}`;
      const missing = phase === 'key-setup' ? 'key-setup value' : phase === 'decryption' ? 'decryption share' : 'update';
      this.events.abortWait(`${where}: participant "${report.participantId}" stopped (${report.code}, in ${report.phase}), so no ${missing} can come from it`);
    }
    return { accepted: true };
  }

  /** Threshold custody: one signed key-setup value from a participant. */
  submitKeySetup(message: KeySetupMessage): Receipt {
    if (message.jobId !== this.options.job.jobId) return { accepted: false, reason: `unknown job "${message.jobId}"` };
    return this.custody.submitKeySetup(message);
  }

  /** Threshold custody: the first chunk of a participant's partial decryption of the current aggregate. */
  openDecryptionShare(first: DecryptionShareChunk): Parsed<IncomingDecryptionShare> {
    const refuse = (reason: string): Parsed<IncomingDecryptionShare> => {
      this.events.notify({ type: 'refused', what: 'decryption-share' });
      this.logger.warn({ participantId: first.participantId, round: first.round, reason }, 'decryption share refused');
      return { success: false, reason };
    };
    if (first.jobId !== this.options.job.jobId) return refuse(`unknown job "${first.jobId}"`);
    if (!this.roster.isConnected(first.participantId)) return refuse(`participant "${first.participantId}" has not joined`);
    return this.custody.openDecryptionShare(first, refuse);
  }

  /** Threshold custody (and custody none): the decrypted aggregate of a round, in slot-sized chunks. */
  decryptedFor(request: FetchAggregateRequest): Parsed<DecryptedChunk[]> {
    if (request.jobId !== this.options.job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    if (!this.roster.isConnected(request.participantId)) return { success: false, reason: 'participant has not joined' };
    const found = this.published.decryptedFor(request);
    if (found.success) this.events.touched(); // the end of the job may be waiting for this fetch
    return found;
  }

  /** verifyAggregate: every signed contribution to the round awaiting decryption, chunk by chunk. */
  contributionsFor(request: FetchAggregateRequest): Parsed<Iterable<ContributionChunk>> {
    if (request.jobId !== this.options.job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    return this.custody.contributionsFor(request);
  }

  recordBytesReceived(count: number): void {
    this.progress.bytesReceived += count;
  }

  recordBytesSent(count: number): void {
    this.progress.bytesSent += count;
  }

  // ---- the job ------------------------------------------------------------------------------

  /** Runs the whole job: wait for participants, key setup, a statistics round, then every training round. */
  async run(): Promise<JobReport> {
    const { job } = this.options;
    try {
      this.setStatus('waiting-for-participants');
      this.logger.info({ jobId: job.jobId, expected: job.federation.participants }, 'waiting for participants');
      const everyoneJoined = await this.events.waitFor(
        () => this.roster.connected().length === job.federation.participants.length,
        Date.now() + job.federation.joinDeadlineSeconds * 1000,
      );
      const joined = this.roster.connected().length;
      if (!everyoneJoined && joined < job.federation.minParticipants) {
        throw new RoundFailedError(
          `only ${joined} of ${job.federation.participants.length} participants joined within ${job.federation.joinDeadlineSeconds} s ` +
            `(minParticipants is ${job.federation.minParticipants})`,
        );
      }
      this.setStatus('running');
      // A resumed job keeps its keys (under threshold custody every participant holds its share) and its rounds.
      const last = lastCompletedRound(this.progress);
      const next = last === null ? 0 : last + 1;
      if (last !== null) this.logger.info({ lastCompletedRound: last, next }, 'resuming the job');
      else await this.custody.setUpKeys();
      if (next === 0) await runRoundWithRetries(this.context, 0, 'statistics');
      const patience = job.training.stopAfterRoundsWithoutImprovement;
      let round = Math.max(1, next);
      for (; round <= job.training.rounds && !shouldStopEarly(this.progress.rounds, patience); round += 1) {
        await runRoundWithRetries(this.context, round, 'training');
      }
      if (round <= job.training.rounds) this.logger.info({ roundsCompleted: round - 1, patience }, 'the federated AUC stopped improving; the job ends early');
      // Nodes fetch the last published sum (the federation's final evaluation) after its event. Ending
      // the job first would meet those fetches with a closed server: requests in the nodes' signed
      // ledgers that the coordinator never received, which the audit rightly flags. Bounded wait.
      await this.events.waitFor(() => this.published.lastDecryptedFetchedBy(this.roster.connected()), Date.now() + Math.min(job.federation.roundDeadlineSeconds, FINAL_FETCH_SECONDS) * 1000);
      this.setStatus('finished');
      this.roster.broadcast({ type: 'job-finished', roundsCompleted: round - 1 });
    } catch (error) {
      const message = describeSealFailure(error);
      this.setStatus(this.events.stopRequested ? 'stopped' : 'failed');
      this.progress.failure = message;
      this.logger.error({ reason: message }, 'job did not finish');
      this.roster.broadcast({ type: 'job-failed', reason: message });
    } finally {
      this.progress.finishedAt = new Date().toISOString();
      this.roster.closeAll();
      this.session.dispose();
      this.custody.dispose();
    }
    return this.report();
  }

  /** Ends the job at the next wait point; the round in flight is abandoned and no model is produced from it. */
  stop(reason = 'the coordinator was asked to stop'): void {
    this.events.stop(reason);
  }

  private setStatus(status: CoordinatorStatus): void {
    this.progress.status = status;
    this.events.notify({ type: 'status', status });
  }
}
