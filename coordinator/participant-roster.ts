import type { Logger } from 'pino';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { PROTOCOL_VERSION, type CoordinatorEvent, type RoundKind, type FailureReport, type JoinRequest, type Receipt } from '../protocols/wire/federation-messages.js';
import type { CoordinatorEvents } from './coordinator-events.js';
import { lastCompletedRound, type ConnectedParticipant, type EventSink, type JobProgress, type ParticipantFailure } from './round-types.js';

/** Nonces remembered per sender (oldest forgotten first); far more than one job sends. */
const MAX_NONCES_PER_SENDER = 100_000;
export const REPLAY = 'replayed message: this nonce was already used by this sender';

/**
 * Who is in the job: joins and rejoins, the nonces each sender used, when each was last seen, and
 * the events sent to them (the current round's are kept for a node that rejoins in its middle).
 */
export class ParticipantRoster {
  private readonly participants = new Map<string, ConnectedParticipant>();
  private readonly lastSeen = new Map<string, number>();
  private readonly seenNonces = new Map<string, Set<string>>();
  /** The current round's events so far, replayed to a node that rejoins in the middle of it. */
  private roundEvents: CoordinatorEvent[] = [];
  /**
   * What a node that catches up without saved state is sent after its job-accepted: the key setup's
   * outcome (its signed values) and the published statistics and training aggregates, by round.
   */
  private keySetupOutcome: CoordinatorEvent | undefined;
  private readonly published = new Map<string, CoordinatorEvent & { round: number }>();
  /** The last failure each node reported (ReportFailure), until it joins again. */
  private readonly failures = new Map<string, ParticipantFailure>();

  constructor(
    private readonly job: JobSpec,
    private readonly keyFingerprint: string,
    private readonly progress: JobProgress,
    private readonly events: CoordinatorEvents,
    private readonly logger: Logger,
    private readonly restoredSampleCounts: ReadonlyMap<string, number | null>,
  ) {}

  isConnected(participantId: string): boolean {
    return this.participants.get(participantId)?.connected ?? false;
  }

  connected(): string[] {
    return [...this.participants.values()].filter((participant) => participant.connected).map((participant) => participant.id);
  }

  /** The participant as it joined (connected now or not); undefined before it joined. */
  member(participantId: string): Readonly<Pick<ConnectedParticipant, 'connected' | 'sampleCount'>> | undefined {
    return this.participants.get(participantId);
  }

  /** For the report and the state file: a node that has not rejoined since a resume keeps its count. */
  sampleCountOf(participantId: string): number | null {
    return this.participants.get(participantId)?.sampleCount ?? this.restoredSampleCounts.get(participantId) ?? null;
  }

  lastSeenOf(participantId: string): number | null {
    return this.lastSeen.get(participantId) ?? null;
  }

  failureOf(participantId: string): ParticipantFailure | null {
    return this.failures.get(participantId) ?? null;
  }

  /** A node's report of why it stops (the caller checked job, sender and nonce): kept for the dashboard and logged. */
  recordFailure(report: FailureReport): void {
    const failure: ParticipantFailure = { code: report.code, phase: report.phase, round: report.round, atUnixMs: Date.now() };
    this.failures.set(report.participantId, failure);
    this.seen(report.participantId);
    this.logger.error({ participantId: report.participantId, code: report.code, phase: report.phase, round: report.round }, 'participant reported a failure');
    this.events.notify({ type: 'participant', participantId: report.participantId, state: 'failed' });
    this.events.touched();
  }

  /**
   * False when this listed sender used the nonce before: a replayed message. Messages that arrive
   * without one (an in-process transport) are not checked; the wire mapping requires one.
   */
  freshNonce(participantId: string, nonce: Uint8Array | undefined): boolean {
    if (!nonce) return true;
    const key = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('hex');
    let used = this.seenNonces.get(participantId);
    if (!used) this.seenNonces.set(participantId, (used = new Set()));
    if (used.has(key)) return false;
    used.add(key);
    if (used.size > MAX_NONCES_PER_SENDER) used.delete(used.values().next().value as string);
    return true;
  }

  seen(participantId: string): void {
    if (this.participants.get(participantId)?.connected) this.lastSeen.set(participantId, Date.now());
  }

  join(request: JoinRequest, sink: EventSink): Receipt {
    const { job } = this;
    if (request.protocolVersion !== PROTOCOL_VERSION) {
      return { accepted: false, reason: `protocol version ${request.protocolVersion} is not supported (this coordinator speaks ${PROTOCOL_VERSION})` };
    }
    if (request.jobId !== job.jobId) return { accepted: false, reason: `unknown job "${request.jobId}"` };
    if (!job.federation.participants.includes(request.participantId)) {
      return { accepted: false, reason: `participant "${request.participantId}" is not listed in job ${job.jobId}` };
    }
    if (!this.freshNonce(request.participantId, request.nonce)) return { accepted: false, reason: REPLAY };
    if (request.keyFingerprint !== this.keyFingerprint) {
      return { accepted: false, reason: 'the participant\'s key folder belongs to another federation key (key fingerprints differ)' };
    }
    const existing = this.participants.get(request.participantId);
    if (existing?.connected) return { accepted: false, reason: `participant "${request.participantId}" is already connected` };
    const refusal = this.rejoinRefusal(request.resumeAfterRound, request.catchUp === true);
    if (refusal) return { accepted: false, reason: refusal };
    this.failures.delete(request.participantId);
    const sampleCount = existing?.sampleCount ?? this.restoredSampleCounts.get(request.participantId) ?? null;
    this.participants.set(request.participantId, { id: request.participantId, sink, connected: true, sampleCount });
    this.seen(request.participantId);
    this.logger.info({ participantId: request.participantId }, 'participant joined');
    this.events.notify({ type: 'participant', participantId: request.participantId, state: 'joined' });
    const last = lastCompletedRound(this.progress);
    const resumed = last === null ? undefined : { lastCompletedRound: last, collectiveKeySha256: this.progress.collectiveKeySha256 ?? undefined };
    if (resumed) this.logger.info({ participantId: request.participantId, lastCompletedRound: resumed.lastCompletedRound }, 'participant rejoined the job under way');
    this.sendTo(request.participantId, { type: 'job-accepted', job, resumed });
    // Without saved state: the key setup's signed outcome and every completed round's aggregate, in order.
    if (request.resumeAfterRound === undefined && this.progress.status === 'running') for (const event of this.catchUpEvents()) this.sendTo(request.participantId, event);
    // Rejoining mid-round: the node catches up on this round (it trains, decrypts, applies as it can).
    if (resumed || this.progress.status === 'running') for (const event of this.roundEvents) this.sendTo(request.participantId, event);
    this.events.touched();
    return { accepted: true };
  }

  /**
   * Who may (re)join: before the job is under way, a fresh node; once it runs, a node that kept its
   * state (the global model after exactly our last completed round), or one that kept its key
   * material and catches up on what was published (README, "Crash and resume").
   */
  private rejoinRefusal(resumeAfterRound: number | undefined, catchUp: boolean): string | undefined {
    const { status } = this.progress;
    const last = lastCompletedRound(this.progress);
    if (status === 'finished' || status === 'failed' || status === 'stopped') return `the job is ${status}`;
    if (last === null && resumeAfterRound !== undefined) {
      return `this node already applied round ${resumeAfterRound} of the job, but this coordinator has no state for it (start it with --resume)`;
    }
    if (resumeAfterRound === undefined) {
      // A fresh job takes fresh nodes; a resumed one (rounds done) holds no aggregates to catch up on.
      if ((status === 'created' || status === 'waiting-for-participants') && last === null) return undefined;
      const where = last === null ? 'the job is running' : `the job is under way (round ${last} completed)`;
      if (!catchUp) {
        return (
          `${where}; a node rejoins only with its saved state (outputDir/state/participant-state.json) or its key material, ` +
          'and this node has neither: under threshold custody its secret key share (outputDir/state/secret-share.key) is missing, ' +
          'and a new share cannot be made once the collective key exists'
        );
      }
      return this.catchUpRefusal(where);
    }
    if (resumeAfterRound !== last) {
      return `this node's model is from round ${resumeAfterRound}, the job's last completed round is ${last}; it cannot take part`;
    }
    return undefined;
  }

  /** Why a node without saved state cannot catch up now, or undefined when it can. */
  private catchUpRefusal(where: string): string | undefined {
    if (this.progress.phase === 'key-setup') return `${where}: the key setup is in progress; rejoin once it completed`;
    if (this.progress.collectiveKeySha256 !== null && !this.keySetupOutcome) {
      return `${where}: this coordinator resumed from its state file and no longer holds the key setup's signed values; the node can rejoin only with its saved state`;
    }
    const missing = this.progress.rounds.filter((summary) => !this.published.has(`${summary.round}:${summary.kind}`)).map((summary) => summary.round);
    if (missing.length > 0) {
      return `${where}: this coordinator no longer holds the published aggregates of round${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (it resumed from its state file); the node can rejoin only with its saved state`;
    }
    return undefined;
  }

  /** For a node catching up: the key setup's outcome, then each completed round's aggregate in round order. */
  private catchUpEvents(): CoordinatorEvent[] {
    const last = lastCompletedRound(this.progress) ?? -1;
    const rounds = [...this.published.values()].filter((event) => event.round <= last).sort((a, b) => a.round - b.round);
    return [...(this.keySetupOutcome ? [this.keySetupOutcome] : []), ...rounds];
  }

  leave(participantId: string): void {
    const participant = this.participants.get(participantId);
    if (!participant?.connected) return;
    participant.connected = false;
    this.events.notify({ type: 'participant', participantId, state: 'left' });
    if (this.progress.status === 'finished' || this.progress.status === 'failed') this.logger.info({ participantId }, 'participant left');
    else this.logger.warn({ participantId }, 'participant disconnected');
    this.events.touched();
  }

  broadcast(event: CoordinatorEvent): void {
    // A node rejoining during a round's evaluation must still apply the round's training aggregate first.
    if (event.type === 'round-started') this.roundEvents = event.kind === 'evaluation' ? this.roundEvents.filter((earlier) => earlier.type === 'aggregate-decrypted' || earlier.type === 'aggregate-ready') : [];
    if (event.type === 'round-started' || event.type === 'decryption-requested' || event.type === 'aggregate-ready' || event.type === 'aggregate-decrypted') {
      this.roundEvents.push(event);
    }
    if ((event.type === 'aggregate-ready' || event.type === 'aggregate-decrypted') && event.kind !== 'evaluation') this.published.set(`${event.round}:${event.kind}`, event);
    if (event.type === 'key-setup-complete') this.keySetupOutcome = event;
    for (const participant of this.participants.values()) if (participant.connected) this.sendTo(participant.id, event);
  }

  /** One event to one connected node (t-of-N key setup: the sealed shares addressed to it). */
  send(participantId: string, event: CoordinatorEvent): void {
    this.sendTo(participantId, event);
  }

  /**
   * An attempt of a round failed and will run again (announced anew): a node rejoining meanwhile must
   * not be replayed its start or its decryption request.
   */
  forgetFailedAttempt(round: number, kind: RoundKind): void {
    this.roundEvents = this.roundEvents.filter((event) => !((event.type === 'round-started' || event.type === 'decryption-requested') && event.round === round && event.kind === kind));
  }

  /** A round completed: a node rejoining from now on has nothing of it to catch up on. */
  forgetRoundEvents(): void {
    this.roundEvents = [];
  }

  /** The job ended: every connected node's event stream is closed. */
  closeAll(): void {
    for (const participant of this.participants.values()) if (participant.connected) participant.sink.close();
  }

  private sendTo(participantId: string, event: CoordinatorEvent): void {
    const participant = this.participants.get(participantId);
    if (!participant?.connected) return;
    try {
      participant.sink.send(event);
    } catch (error) {
      this.logger.warn({ participantId, reason: error instanceof Error ? error.message : String(error) }, 'could not send event');
      this.leave(participantId);
    }
  }
}
