import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import type { AggregateLayout, Contribution, EncryptedSumAggregator } from '../protocols/aggregation/encrypted-sum-aggregator.js';
import { PlaintextSumAggregator } from '../protocols/aggregation/plaintext-sum-aggregator.js';
import { countRoundValues, splitTrainingSum } from '../protocols/aggregation/update-vector.js';
import { federatedEvaluation } from '../protocols/data/evaluation-counts.js';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { FederatedStrategy, RoundPlan } from '../protocols/aggregation/federated-strategy.js';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { combineDecryptionShares, ThresholdCkksContext } from '../protocols/ckks/threshold/index.js';
import { ConfigError, HeflError, RoundFailedError } from '../protocols/errors.js';
import { assertSmudgingBudget } from '../protocols/job/assert-smudging-budget.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { ThresholdKeySetup } from './threshold-key-setup.js';
import { saveCoordinatorState, type CoordinatorState } from './coordinator-state.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { UpdateDigest, verifyUpdateSignature } from '../protocols/identity/participant-identity.js';
import {
  PROTOCOL_VERSION,
  KEY_SETUP_STEPS,
  type ContributionChunk,
  type CoordinatorEvent,
  type DecryptedChunk,
  type DecryptionShareChunk,
  type EvaluationReport,
  type KeySetupMessage,
  type FetchAggregateRequest,
  type JoinRequest,
  type Parsed,
  type Receipt,
  type RoundKind,
  type UpdateChunk,
} from '../protocols/wire/federation-messages.js';

/** The rounds of a job: round 0's statistics, then training rounds (each with its evaluation phase). */
export type JobRoundKind = Exclude<RoundKind, 'evaluation'>;

/** The federation's evaluation of one round's model, from decrypted sums (or single-key nodes' reports). */
interface RoundEvaluation {
  readonly auc: number | null;
  readonly loss: number | null;
  readonly count: number;
  readonly training: { readonly totalSamples: number; readonly meanLocalLoss: number } | undefined;
}

/** Lifecycle of a coordinator, one explicit union (after Temporal's worker states). */
export type CoordinatorStatus = 'created' | 'waiting-for-participants' | 'running' | 'finished' | 'failed' | 'stopped';

/** Where the coordinator writes a participant's events; the transport implements it. */
export interface EventSink {
  send(event: CoordinatorEvent): void;
  close(): void;
}

export interface RoundSummary {
  readonly round: number;
  readonly kind: JobRoundKind;
  readonly contributors: readonly string[];
  /** Sample-weighted mean local training loss of the contributors, from the decrypted sum. */
  readonly meanLocalLoss: number | null;
  /** ROC AUC of the new global model on every node's evaluation rows pooled, from encrypted counts. */
  readonly heldOutAuc: number | null;
  readonly heldOutLoss: number | null;
  readonly evaluationCount: number;
  readonly totalWeight: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly seconds: number;
}

export interface JobReport {
  readonly jobId: string;
  readonly status: CoordinatorStatus;
  readonly failure: string | null;
  readonly strategy: string;
  readonly keyCustody: JobSpec['custody']['mode'];
  /** Threshold custody: SHA-256 of the collective public key the participants built. */
  readonly collectiveKeySha256: string | null;
  readonly ckks: JobSpec['ckks'] & { readonly slotCount: number; readonly valuesPerCiphertext: number; readonly parametersFingerprint: string };
  readonly modelParameters: number;
  readonly participants: readonly { readonly id: string; readonly sampleCount: number | null }[];
  readonly rounds: readonly RoundSummary[];
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** What a dashboard or a metrics exporter can observe; never key material or plaintext values. */
export type CoordinatorObservation =
  | { readonly type: 'round-completed'; readonly summary: RoundSummary }
  | { readonly type: 'refused'; readonly what: 'update' | 'decryption-share' | 'key-setup' }
  | { readonly type: 'participant'; readonly participantId: string; readonly state: 'joined' | 'left' }
  | { readonly type: 'status'; readonly status: CoordinatorStatus }
  /** Something a participant did (joined, uploaded a chunk, reported); read participantActivity(). */
  | { readonly type: 'activity' };

/** What a participant is doing, as the coordinator can tell from what it received. */
export type ParticipantActivityState =
  | 'waiting' // listed in the job, not connected yet
  | 'connected'
  | 'key-setup'
  | 'training' // in the round, no update received yet
  | 'uploading'
  | 'submitted'
  | 'decrypting'
  | 'evaluating'
  | 'left';

export interface ParticipantActivity {
  readonly id: string;
  readonly state: ParticipantActivityState;
  readonly connected: boolean;
  readonly lastSeenUnixMs: number | null;
  readonly sampleCount: number | null;
  /** While uploading: ciphertext chunks received of the update's total. */
  readonly upload: { readonly chunksReceived: number; readonly chunkCount: number } | null;
}

type Phase = 'idle' | 'key-setup' | 'collecting-updates' | 'decryption' | 'evaluation';

/** Nonces remembered per sender (oldest forgotten first); far more than one job sends. */
const MAX_NONCES_PER_SENDER = 100_000;
const REPLAY = 'replayed message: this nonce was already used by this sender';

export interface CoordinatorOptions {
  readonly job: JobSpec;
  readonly keys: CoordinatorKeys;
  readonly logger?: Logger;
  readonly strategy?: FederatedStrategy;
  readonly onRoundCompleted?: (summary: RoundSummary) => void;
  /** Written atomically after every completed round, for `--resume` after a crash. */
  readonly stateFile?: string | undefined;
  /** Continue a job from its saved state: no key setup again, next round after the last completed. */
  readonly resume?: CoordinatorState | undefined;
}

/** One update while it streams in, as the transport sees it. */
export interface IncomingUpdate {
  accept(chunk: UpdateChunk): void;
  finish(): Receipt;
  abort(reason: string): void;
}

/** One participant's partial decryption while it streams in. */
export interface IncomingDecryptionShare {
  accept(chunk: DecryptionShareChunk): void;
  finish(): Receipt;
  abort(reason: string): void;
}

interface JointDecryption {
  readonly round: number;
  readonly aggregateSha256: string;
  readonly chunkCount: number;
  readonly shares: Map<string, Uint8Array[]>;
  open: boolean;
}

interface ConnectedParticipant {
  readonly id: string;
  readonly sink: EventSink;
  connected: boolean;
  sampleCount: number | null;
}

interface ActiveRound {
  readonly plan: RoundPlan;
  readonly layout: AggregateLayout;
  /** Ciphertext sums; plaintext sums only under custody none (HE off, the benchmark baseline). */
  readonly aggregator: EncryptedSumAggregator | PlaintextSumAggregator;
  readonly inFlight: Set<IncomingUpdate>;
  /** Threshold custody: each contributor's signature over its update, for verifyAggregate. */
  readonly signatures: Map<string, Uint8Array>;
  /** Threshold custody: the SHA-256 of each chunk of each accepted update (what its signature covers). */
  readonly chunkHashes: Map<string, readonly Uint8Array[]>;
  /** Digest of each accepted update: a resent copy is acknowledged, never added twice. */
  readonly digests: Map<string, string>;
  /** Chunks received so far of each update still streaming in. */
  readonly uploads: Map<string, number>;
  open: boolean;
}

/**
 * The coordinator's side of a federation, independent of any transport: it tracks who joined, runs
 * the round loop, and sums encrypted updates as they arrive. It is built from public key material
 * only, so it can add ciphertexts but cannot read a single update or the aggregate.
 */
export class Coordinator {
  private statusValue: CoordinatorStatus = 'created';
  private failure: string | null = null;
  private readonly participants = new Map<string, ConnectedParticipant>();
  private readonly changed = new EventEmitter();
  private readonly evaluations = new Map<number, Map<string, EvaluationReport>>();
  private readonly rounds: RoundSummary[] = [];
  private activeRound: ActiveRound | undefined;
  /** The latest encrypted aggregate of each kind (a training round also has an evaluation aggregate). */
  private readonly lastAggregate = new Map<RoundKind, { round: number; chunks: readonly Uint8Array[] }>();
  /** The latest round whose aggregate was published (encrypted or, under custody none, plain): evaluations are for it. */
  private lastAggregatedRound: number | undefined;
  private readonly lastDecrypted = new Map<RoundKind, { round: number; values: Float64Array }>();
  private keySetup: ThresholdKeySetup | undefined;
  private collectiveKeySha256: string | null = null;
  private decryption: JointDecryption | undefined;
  /** Threshold custody: SEAL contexts for combining decryption shares, built once per job. */
  private thresholdContext: ThresholdCkksContext | undefined;
  private bytesReceived = 0;
  private bytesSent = 0;
  private startedAt = new Date().toISOString();
  private finishedAt: string | null = null;
  private readonly strategy: FederatedStrategy;
  private readonly logger: Logger;
  private stopRequested: string | undefined;
  private readonly observers = new Set<(observation: CoordinatorObservation) => void>();
  private readonly lastSeen = new Map<string, number>();
  private readonly seenNonces = new Map<string, Set<string>>();
  private phase: Phase = 'idle';
  private readonly restoredSampleCounts = new Map<string, number | null>();
  /** The current round's events so far, replayed to a node that rejoins in the middle of it. */
  private roundEvents: CoordinatorEvent[] = [];

  private constructor(
    private readonly options: CoordinatorOptions,
    private readonly session: CkksSession,
  ) {
    this.strategy = options.strategy ?? federatedAveraging;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.changed.setMaxListeners(0);
    const resume = options.resume;
    if (resume) {
      this.rounds.push(...resume.rounds);
      this.collectiveKeySha256 = resume.collectiveKeySha256;
      this.bytesReceived = resume.bytesReceived;
      this.bytesSent = resume.bytesSent;
      this.startedAt = resume.startedAt;
      for (const [id, count] of Object.entries(resume.sampleCounts)) this.restoredSampleCounts.set(id, count);
    }
  }

  static async create(options: CoordinatorOptions): Promise<Coordinator> {
    const { job, keys } = options;
    if (keys.manifest.jobId !== job.jobId) {
      throw new ConfigError(`the coordinator key folder is for job "${keys.manifest.jobId}", the job file is "${job.jobId}"`);
    }
    if (keys.manifest.parametersFingerprint !== ckksParametersFingerprint(job.ckks)) {
      throw new ConfigError('the job file\'s ckks parameters differ from those the coordinator keys were made for');
    }
    assertSmudgingBudget(job);
    if (keys.manifest.custody !== job.custody.mode) {
      throw new ConfigError(`the job asks for ${job.custody.mode} custody; the coordinator key folder was made for ${keys.manifest.custody}`);
    }
    // No secret key, ever: the coordinator's session can check and add ciphertexts, never decrypt.
    const session = await CkksSession.create(job.ckks, keys.publicKey ? { publicKey: keys.publicKey } : {});
    const coordinator = new Coordinator(options, session);
    if (job.custody.mode === 'threshold') coordinator.keySetup = new ThresholdKeySetup(job, keys.manifest.identities ?? {});
    if (job.custody.mode === 'none') coordinator.logger.warn({ jobId: job.jobId }, 'custody none: homomorphic encryption is OFF; every update arrives unencrypted (benchmark baseline)');
    return coordinator;
  }

  get status(): CoordinatorStatus {
    return this.statusValue;
  }

  /** Subscribes to round, participant, refusal and status events; returns the unsubscribe function. */
  observe(observer: (observation: CoordinatorObservation) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(observation: CoordinatorObservation): void {
    for (const observer of this.observers) {
      try {
        observer(observation);
      } catch (error) {
        this.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'an observer failed');
      }
    }
  }

  /** The last round whose aggregate was published (restored rounds included); null before round 0 completed. */
  private get lastCompletedRound(): number | null {
    return this.rounds.at(-1)?.round ?? null;
  }

  /** Wakes the round loop's waits and tells observers that participant activity changed. */
  private touched(): void {
    this.changed.emit('change');
    this.notify({ type: 'activity' });
  }

  /**
   * False when this listed sender used the nonce before: a replayed message. Messages that arrive
   * without one (an in-process transport) are not checked; the wire mapping requires one.
   */
  private freshNonce(participantId: string, nonce: Uint8Array | undefined): boolean {
    if (!nonce) return true;
    const key = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('hex');
    let used = this.seenNonces.get(participantId);
    if (!used) this.seenNonces.set(participantId, (used = new Set()));
    if (used.has(key)) return false;
    used.add(key);
    if (used.size > MAX_NONCES_PER_SENDER) used.delete(used.values().next().value as string);
    return true;
  }

  private seen(participantId: string): void {
    if (this.participants.get(participantId)?.connected) this.lastSeen.set(participantId, Date.now());
  }

  /** Each listed participant's state, for dashboards; derived from what arrived, never from content. */
  participantActivity(): ParticipantActivity[] {
    const round = this.activeRound;
    const decryption = this.decryption;
    const lastRound = this.lastAggregatedRound;
    return this.options.job.federation.participants.map((id): ParticipantActivity => {
      const participant = this.participants.get(id);
      const chunksReceived = round?.uploads.get(id);
      const upload = chunksReceived !== undefined && round ? { chunksReceived, chunkCount: round.layout.chunkCount } : null;
      const state = ((): ParticipantActivityState => {
        if (!participant) return 'waiting';
        if (!participant.connected) return 'left';
        switch (this.phase) {
          case 'key-setup':
            return 'key-setup';
          case 'collecting-updates':
            if (!round?.plan.participants.includes(id)) return 'connected';
            if (round.aggregator.hasContribution(id)) return 'submitted';
            return upload ? 'uploading' : 'training';
          case 'decryption':
            return decryption && !decryption.shares.has(id) ? 'decrypting' : 'submitted';
          case 'evaluation':
            return lastRound !== undefined && this.evaluations.get(lastRound)?.has(id) ? 'connected' : 'evaluating';
          case 'idle':
            return 'connected';
        }
      })();
      return { id, state, connected: participant?.connected ?? false, lastSeenUnixMs: this.lastSeen.get(id) ?? null, sampleCount: participant?.sampleCount ?? null, upload };
    });
  }

  private setStatus(status: CoordinatorStatus): void {
    this.statusValue = status;
    this.notify({ type: 'status', status });
  }

  get job(): JobSpec {
    return this.options.job;
  }

  connectedParticipants(): string[] {
    return [...this.participants.values()].filter((participant) => participant.connected).map((participant) => participant.id);
  }

  // ---- called by the transport -------------------------------------------------------------

  join(request: JoinRequest, sink: EventSink): Receipt {
    const { job, keys } = this.options;
    if (request.protocolVersion !== PROTOCOL_VERSION) {
      return { accepted: false, reason: `protocol version ${request.protocolVersion} is not supported (this coordinator speaks ${PROTOCOL_VERSION})` };
    }
    if (request.jobId !== job.jobId) return { accepted: false, reason: `unknown job "${request.jobId}"` };
    if (!job.federation.participants.includes(request.participantId)) {
      return { accepted: false, reason: `participant "${request.participantId}" is not listed in job ${job.jobId}` };
    }
    if (!this.freshNonce(request.participantId, request.nonce)) return { accepted: false, reason: REPLAY };
    if (request.keyFingerprint !== keys.manifest.keyFingerprint) {
      return { accepted: false, reason: 'the participant\'s key folder belongs to another federation key (key fingerprints differ)' };
    }
    const existing = this.participants.get(request.participantId);
    if (existing?.connected) return { accepted: false, reason: `participant "${request.participantId}" is already connected` };
    const refusal = this.rejoinRefusal(request.resumeAfterRound);
    if (refusal) return { accepted: false, reason: refusal };
    const sampleCount = existing?.sampleCount ?? this.restoredSampleCounts.get(request.participantId) ?? null;
    this.participants.set(request.participantId, { id: request.participantId, sink, connected: true, sampleCount });
    this.seen(request.participantId);
    this.logger.info({ participantId: request.participantId }, 'participant joined');
    this.notify({ type: 'participant', participantId: request.participantId, state: 'joined' });
    const resumed = this.lastCompletedRound === null ? undefined : { lastCompletedRound: this.lastCompletedRound, collectiveKeySha256: this.collectiveKeySha256 ?? undefined };
    if (resumed) this.logger.info({ participantId: request.participantId, lastCompletedRound: resumed.lastCompletedRound }, 'participant rejoined the job under way');
    this.sendTo(request.participantId, { type: 'job-accepted', job, resumed });
    // Rejoining mid-round: the node catches up on this round (it trains, decrypts, applies as it can).
    if (resumed) for (const event of this.roundEvents) this.sendTo(request.participantId, event);
    this.touched();
    return { accepted: true };
  }

  /**
   * Who may (re)join: before the job is under way, a fresh node; once a round has completed, only a
   * node that kept its state (the global model after exactly our last completed round).
   */
  private rejoinRefusal(resumeAfterRound: number | undefined): string | undefined {
    if (this.statusValue === 'finished' || this.statusValue === 'failed' || this.statusValue === 'stopped') return `the job is ${this.statusValue}`;
    if (this.lastCompletedRound === null) {
      if (resumeAfterRound !== undefined) {
        return `this node already applied round ${resumeAfterRound} of the job, but this coordinator has no state for it (start it with --resume)`;
      }
      if (this.statusValue !== 'created' && this.statusValue !== 'waiting-for-participants') return `the job is ${this.statusValue}; a node joins a running job only with its saved state`;
      return undefined;
    }
    if (resumeAfterRound === undefined) return `the job is under way (round ${this.lastCompletedRound} completed); a node rejoins only with its saved state (outputDir/state)`;
    if (resumeAfterRound !== this.lastCompletedRound) {
      return `this node's model is from round ${resumeAfterRound}, the job's last completed round is ${this.lastCompletedRound}; it cannot take part`;
    }
    return undefined;
  }

  leave(participantId: string): void {
    const participant = this.participants.get(participantId);
    if (!participant?.connected) return;
    participant.connected = false;
    this.notify({ type: 'participant', participantId, state: 'left' });
    if (this.statusValue === 'finished' || this.statusValue === 'failed') this.logger.info({ participantId }, 'participant left');
    else this.logger.warn({ participantId }, 'participant disconnected');
    this.touched();
  }

  openUpdate(first: UpdateChunk): Parsed<IncomingUpdate> {
    const round = this.activeRound;
    const participant = this.participants.get(first.participantId);
    const refuse = (reason: string): Parsed<IncomingUpdate> => {
      this.notify({ type: 'refused', what: 'update' });
      this.logger.warn({ participantId: first.participantId, round: first.round, reason }, 'update refused');
      return { success: false, reason };
    };
    if (first.jobId !== this.options.job.jobId) return refuse(`unknown job "${first.jobId}"`);
    if (!participant?.connected) return refuse(`participant "${first.participantId}" has not joined`);
    if (!round?.open) return refuse('no round is accepting updates');
    if (first.round !== round.plan.round) return refuse(`round ${first.round} is not the current round (${round.plan.round})`);
    if (!round.plan.participants.includes(first.participantId)) return refuse(`participant "${first.participantId}" is not part of round ${first.round}`);
    if (first.chunkIndex !== 0 || !first.metadata) return refuse('an update must start with chunk 0 carrying its metadata');
    if (!this.freshNonce(first.participantId, first.nonce)) return refuse(REPLAY);
    const { metadata } = first;
    if (metadata.kind !== round.plan.kind) return refuse(`round ${first.round} is a ${round.plan.kind} round, the update says ${metadata.kind}`);
    if (metadata.vectorLength !== round.layout.vectorLength || metadata.chunkCount !== round.layout.chunkCount) {
      return refuse(
        `update layout ${metadata.vectorLength} values / ${metadata.chunkCount} chunks does not match the round's ` +
          `${round.layout.vectorLength} / ${round.layout.chunkCount}`,
      );
    }
    const accepted = round.digests.get(first.participantId);
    if (accepted !== undefined) return { success: true, data: this.duplicateCheck(first, accepted) };
    let contribution: Contribution;
    try {
      // Each update weighs one contribution here: its sample count is inside the ciphertext.
      contribution = round.aggregator.begin(first.participantId, 1);
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
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
        contribution.accept(chunk.chunkIndex, chunk.ciphertext);
        digest.add(chunk.ciphertext);
        round.uploads.set(first.participantId, (round.uploads.get(first.participantId) ?? 0) + 1);
        this.seen(first.participantId);
        this.touched();
        if (chunk.updateSignature) signature = chunk.updateSignature;
      },
      finish: () => {
        if (closed || !round.open) return { accepted: false, reason: `round ${first.round} closed before the update was complete` };
        const finalDigest = digest.digest();
        const signatureProblem = this.checkUpdateSignature(first, metadata, finalDigest, signature);
        if (signatureProblem) {
          incoming.abort(signatureProblem);
          return { accepted: false, reason: signatureProblem };
        }
        if (signature) round.signatures.set(first.participantId, signature);
        round.chunkHashes.set(first.participantId, digest.chunkHashes());
        round.digests.set(first.participantId, Buffer.from(finalDigest).toString('hex'));
        try {
          contribution.commit();
        } catch (error) {
          incoming.abort(error instanceof Error ? error.message : String(error));
          return { accepted: false, reason: error instanceof Error ? error.message : String(error) };
        }
        closed = true;
        round.inFlight.delete(incoming);
        round.uploads.delete(first.participantId);
        this.logger.info({ participantId: first.participantId, round: first.round }, `${this.options.job.custody.mode === 'none' ? 'unencrypted' : 'encrypted'} update added to the aggregate`);
        this.touched();
        return { accepted: true };
      },
      abort: (reason) => {
        if (closed) return;
        closed = true;
        round.inFlight.delete(incoming);
        round.uploads.delete(first.participantId);
        contribution.abort();
        this.logger.warn({ participantId: first.participantId, round: first.round, reason }, 'partial update removed from the aggregate');
        this.touched();
      },
    };
    round.inFlight.add(incoming);
    try {
      incoming.accept(first);
    } catch (error) {
      incoming.abort(error instanceof Error ? error.message : String(error));
      return refuse(error instanceof Error ? error.message : String(error));
    }
    return { success: true, data: incoming };
  }

  aggregateFor(request: FetchAggregateRequest): Parsed<readonly Uint8Array[]> {
    if (request.jobId !== this.options.job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    if (!this.participants.get(request.participantId)?.connected) {
      return { success: false, reason: `participant "${request.participantId}" has not joined` };
    }
    const latest = this.lastAggregate.get(request.kind);
    if (!latest || latest.round !== request.round) {
      return { success: false, reason: `no ${request.kind} aggregate for round ${request.round} (latest: ${latest?.round ?? 'none'})` };
    }
    return { success: true, data: latest.chunks };
  }

  reportEvaluation(report: EvaluationReport): Receipt {
    if (report.jobId !== this.options.job.jobId) return { accepted: false, reason: `unknown job "${report.jobId}"` };
    if (!this.participants.get(report.participantId)?.connected) return { accepted: false, reason: 'participant has not joined' };
    if (!this.freshNonce(report.participantId, report.nonce)) return { accepted: false, reason: REPLAY };
    if (this.options.job.custody.mode !== 'single-key') return { accepted: false, reason: 'this job\'s evaluations travel encrypted; no node reports metrics in the clear' };
    if (report.round !== this.lastAggregatedRound) return { accepted: false, reason: `round ${report.round} is not awaiting evaluations` };
    const reports = this.evaluations.get(report.round) ?? new Map<string, EvaluationReport>();
    if (reports.has(report.participantId)) return { accepted: false, reason: 'evaluation for this round already reported' };
    reports.set(report.participantId, report);
    this.seen(report.participantId);
    this.evaluations.set(report.round, reports);
    this.touched();
    return { accepted: true };
  }

  /** Threshold custody: one signed key-setup value from a participant. */
  submitKeySetup(message: KeySetupMessage): Receipt {
    if (message.jobId !== this.options.job.jobId) return { accepted: false, reason: `unknown job "${message.jobId}"` };
    if (!this.keySetup) return { accepted: false, reason: 'this job does not use threshold custody' };
    if (!this.participants.get(message.participantId)?.connected) return { accepted: false, reason: 'participant has not joined' };
    if (!this.freshNonce(message.participantId, message.nonce)) return { accepted: false, reason: REPLAY };
    this.seen(message.participantId);
    const receipt = this.keySetup.accept(message);
    if (receipt.accepted) this.touched();
    else {
      this.logger.warn({ participantId: message.participantId, step: message.step, reason: receipt.reason }, 'key-setup message refused');
      this.notify({ type: 'refused', what: 'key-setup' });
    }
    return receipt;
  }

  /** Threshold custody: the first chunk of a participant's partial decryption of the current aggregate. */
  openDecryptionShare(first: DecryptionShareChunk): Parsed<IncomingDecryptionShare> {
    const decryption = this.decryption;
    const refuse = (reason: string): Parsed<IncomingDecryptionShare> => {
      this.notify({ type: 'refused', what: 'decryption-share' });
      this.logger.warn({ participantId: first.participantId, round: first.round, reason }, 'decryption share refused');
      return { success: false, reason };
    };
    if (first.jobId !== this.options.job.jobId) return refuse(`unknown job "${first.jobId}"`);
    if (!this.participants.get(first.participantId)?.connected) return refuse(`participant "${first.participantId}" has not joined`);
    if (!decryption?.open || decryption.round !== first.round) return refuse(`round ${first.round} is not awaiting decryption shares`);
    if (first.chunkIndex !== 0 || first.aggregateSha256 !== decryption.aggregateSha256) {
      return refuse('a decryption share must start with chunk 0 naming the hash of this round\'s aggregate');
    }
    if (!this.freshNonce(first.participantId, first.nonce)) return refuse(REPLAY);
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
        this.seen(first.participantId);
        this.logger.info({ participantId: first.participantId, round: first.round }, 'decryption share received');
        this.touched();
        return { accepted: true };
      },
      abort: () => {
        closed = true;
      },
    };
    try {
      incoming.accept(first);
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
    }
    return { success: true, data: incoming };
  }

  /** Threshold custody: the jointly decrypted aggregate of a round, in slot-sized chunks. */
  decryptedFor(request: FetchAggregateRequest): Parsed<DecryptedChunk[]> {
    if (request.jobId !== this.options.job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    if (!this.participants.get(request.participantId)?.connected) return { success: false, reason: 'participant has not joined' };
    const latest = this.lastDecrypted.get(request.kind);
    if (!latest || latest.round !== request.round) {
      return { success: false, reason: `no decrypted ${request.kind} aggregate for round ${request.round}` };
    }
    const { values, round } = latest;
    const chunks: DecryptedChunk[] = [];
    for (let start = 0, index = 0; start < values.length; start += this.session.slotCount, index += 1) {
      chunks.push({ round, chunkIndex: index, values: values.subarray(start, start + this.session.slotCount) });
    }
    return { success: true, data: chunks };
  }

  /**
   * A participant that restarts or retries may resend an update the coordinator already added. The
   * copy is read to the end and acknowledged if it is identical; it is never added a second time.
   */
  private duplicateCheck(first: UpdateChunk, acceptedDigest: string): IncomingUpdate {
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
          this.logger.info({ participantId: first.participantId, round: first.round }, 'duplicate of an accepted update acknowledged, not added again');
          return { accepted: true };
        }
        return { accepted: false, reason: `participant "${first.participantId}" already contributed a different update to round ${first.round}` };
      },
      abort: () => undefined,
    };
  }

  /** Threshold custody: every update must carry its sender's identity signature over all its chunks. */
  private checkUpdateSignature(
    first: UpdateChunk,
    metadata: NonNullable<UpdateChunk['metadata']>,
    digest: Uint8Array,
    signature: Uint8Array | undefined,
  ): string | undefined {
    if (!this.keySetup) return undefined;
    const identity = this.keySetup.identityOf(first.participantId);
    if (!signature || !identity) return `the update of ${first.participantId} is not signed; threshold custody requires signed updates`;
    const context = { jobId: first.jobId, participantId: first.participantId, round: first.round, ...metadata };
    if (!verifyUpdateSignature(identity, context, digest, signature)) return `the signature on ${first.participantId}'s update does not verify`;
    return undefined;
  }

  /** verifyAggregate: every signed contribution to the round awaiting decryption, chunk by chunk. */
  contributionsFor(request: FetchAggregateRequest): Parsed<Iterable<ContributionChunk>> {
    const { job } = this.options;
    if (request.jobId !== job.jobId) return { success: false, reason: `unknown job "${request.jobId}"` };
    if (job.custody.mode !== 'threshold' || !job.custody.verifyAggregate) return { success: false, reason: 'this job does not relay contributions (verifyAggregate is off)' };
    if (!this.participants.get(request.participantId)?.connected) return { success: false, reason: 'participant has not joined' };
    const round = this.activeRound;
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

  recordBytesReceived(count: number): void {
    this.bytesReceived += count;
  }

  recordBytesSent(count: number): void {
    this.bytesSent += count;
  }

  // ---- the round loop ---------------------------------------------------------------------

  /** Runs the whole job: wait for participants, a statistics round, then every training round. */
  async run(): Promise<JobReport> {
    const { job } = this.options;
    try {
      this.setStatus('waiting-for-participants');
      this.logger.info({ jobId: job.jobId, expected: job.federation.participants }, 'waiting for participants');
      const everyoneJoined = await this.waitFor(
        () => this.connectedParticipants().length === job.federation.participants.length,
        Date.now() + job.federation.joinDeadlineSeconds * 1000,
      );
      const joined = this.connectedParticipants().length;
      if (!everyoneJoined && joined < job.federation.minParticipants) {
        throw new RoundFailedError(
          `only ${joined} of ${job.federation.participants.length} participants joined within ${job.federation.joinDeadlineSeconds} s ` +
            `(minParticipants is ${job.federation.minParticipants})`,
        );
      }
      this.setStatus('running');
      // A resumed job keeps its collective key (every participant holds its share) and its rounds.
      const next = this.lastCompletedRound === null ? 0 : this.lastCompletedRound + 1;
      if (this.lastCompletedRound !== null) this.logger.info({ lastCompletedRound: this.lastCompletedRound, next }, 'resuming the job');
      else if (this.keySetup) await this.runKeySetup(this.keySetup);
      if (next === 0) await this.runRoundWithRetries(0, 'statistics');
      for (let round = Math.max(1, next); round <= job.training.rounds; round += 1) await this.runRoundWithRetries(round, 'training');
      this.setStatus('finished');
      this.broadcast({ type: 'job-finished', roundsCompleted: job.training.rounds });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.setStatus(this.stopRequested ? 'stopped' : 'failed');
      this.failure = message;
      this.logger.error({ reason: message }, 'job did not finish');
      this.broadcast({ type: 'job-failed', reason: message });
    } finally {
      this.finishedAt = new Date().toISOString();
      for (const participant of this.participants.values()) if (participant.connected) participant.sink.close();
      this.session.dispose();
      this.thresholdContext?.[Symbol.dispose]();
    }
    return this.report();
  }

  /** Ends the job at the next wait point; the round in flight is abandoned and no model is produced from it. */
  stop(reason = 'the coordinator was asked to stop'): void {
    this.stopRequested = reason;
    this.touched();
  }

  report(): JobReport {
    const { job } = this.options;
    return {
      jobId: job.jobId,
      status: this.statusValue,
      failure: this.failure,
      strategy: this.strategy.name,
      keyCustody: job.custody.mode,
      collectiveKeySha256: this.collectiveKeySha256,
      ckks: { ...job.ckks, slotCount: this.session.slotCount, valuesPerCiphertext: this.session.valuesPerCiphertext, parametersFingerprint: ckksParametersFingerprint(job.ckks) },
      modelParameters: countModelParameters(job),
      participants: job.federation.participants.map((id) => ({ id, sampleCount: this.participants.get(id)?.sampleCount ?? this.restoredSampleCounts.get(id) ?? null })),
      rounds: [...this.rounds],
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
    };
  }

  /**
   * A failed round (below quorum at its deadline, a decryption share missing) publishes nothing, so
   * the previous model stays in force; it runs again up to `roundRetries` times, each attempt first
   * waiting for absent nodes to rejoin, before the job stops with the reason.
   */
  private async runRoundWithRetries(round: number, kind: JobRoundKind): Promise<void> {
    const retries = this.options.job.federation.roundRetries;
    let firstFailure: string | undefined;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.runRound(round, kind);
        return;
      } catch (error) {
        if (this.stopRequested || !(error instanceof RoundFailedError)) throw error;
        if (attempt >= retries) {
          throw firstFailure === undefined || firstFailure === error.message
            ? error
            : new RoundFailedError(`${firstFailure} (ran the round again ${retries} time${retries === 1 ? '' : 's'}; last: ${error.message})`);
        }
        firstFailure ??= error.message;
        this.logger.warn({ round, kind, retry: attempt + 1, of: retries, reason: error.message }, 'round failed; previous model stays in force; running the round again');
      }
    }
  }

  /** The durable state (--state): written atomically, so a crash leaves the previous or the new one. */
  private async saveState(): Promise<void> {
    const { stateFile, job } = this.options;
    if (!stateFile) return;
    await saveCoordinatorState(stateFile, {
      format: 'hefl-coordinator-state/1',
      jobId: job.jobId,
      jobSha256: jobSha256(job),
      lastCompletedRound: this.lastCompletedRound,
      collectiveKeySha256: this.collectiveKeySha256,
      rounds: [...this.rounds],
      sampleCounts: Object.fromEntries(job.federation.participants.map((id) => [id, this.participants.get(id)?.sampleCount ?? this.restoredSampleCounts.get(id) ?? null])),
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      startedAt: this.startedAt,
      savedAt: new Date().toISOString(),
    });
  }

  /**
   * One round: its updates are collected, summed and published (decrypted jointly under threshold
   * custody); a training round then has the new model evaluated from encrypted per-node counts. The
   * summary holds federation-wide values only, read from the decrypted sums.
   */
  private async runRound(round: number, kind: JobRoundKind): Promise<void> {
    const { job } = this.options;
    const started = performance.now();
    const bytesReceivedAtStart = this.bytesReceived;
    const bytesSentAtStart = this.bytesSent;
    const published = await this.aggregateRound(round, kind);
    let totalSamples = 0;
    let meanLocalLoss: number | null = null;
    let evaluation: RoundEvaluation | undefined;
    if (kind === 'training') {
      if (published.values) {
        const training = splitTrainingSum(published.values, countModelParameters(job));
        totalSamples = training.totalSamples;
        meanLocalLoss = training.meanLocalLoss;
      }
      evaluation = await this.evaluateRound(round);
      if (evaluation?.training) ({ totalSamples, meanLocalLoss } = evaluation.training);
    } else if (published.values) {
      totalSamples = Math.round(published.values[published.values.length - 1] as number);
    }
    const summary: RoundSummary = {
      round,
      kind,
      contributors: published.contributors,
      meanLocalLoss,
      heldOutAuc: evaluation?.auc ?? null,
      heldOutLoss: evaluation?.loss ?? null,
      evaluationCount: evaluation?.count ?? 0,
      totalWeight: totalSamples,
      seconds: (performance.now() - started) / 1000,
      bytesReceived: this.bytesReceived - bytesReceivedAtStart,
      bytesSent: this.bytesSent - bytesSentAtStart,
    };
    this.rounds.push(summary);
    this.roundEvents = [];
    await this.saveState();
    this.logger.info({ round, kind, contributors: summary.contributors.length, seconds: summary.seconds }, 'round completed');
    this.options.onRoundCompleted?.(summary);
    this.notify({ type: 'round-completed', summary });
  }

  /**
   * After a training round: every connected node encrypts ROC counts of the new model on its own
   * evaluation rows; their sum is decrypted like any aggregate. Failing to evaluate does not fail the
   * round (the model is already in force everywhere): the summary then has no held-out metrics.
   */
  private async evaluateRound(round: number): Promise<RoundEvaluation | undefined> {
    const { job } = this.options;
    try {
      const published = await this.aggregateRound(round, 'evaluation');
      if (published.values) {
        const { auc, loss, count } = federatedEvaluation(published.values);
        return { auc, loss, count, training: undefined };
      }
      // Single-key custody: the coordinator cannot decrypt; the nodes report the federation's figures.
      this.phase = 'evaluation';
      this.touched();
      await this.waitFor(
        () => this.connectedParticipants().every((id) => this.evaluations.get(round)?.has(id)),
        Date.now() + job.federation.roundDeadlineSeconds * 1000,
      );
      const report = [...(this.evaluations.get(round)?.values() ?? [])][0];
      if (!report) return undefined;
      return {
        auc: report.evaluationCount > 0 ? report.auc : null,
        loss: report.evaluationCount > 0 ? report.loss : null,
        count: report.evaluationCount,
        training: report.totalSamples > 0 ? { totalSamples: report.totalSamples, meanLocalLoss: report.meanTrainingLoss } : undefined,
      };
    } catch (error) {
      if (this.stopRequested || !(error instanceof RoundFailedError)) throw error;
      this.logger.warn({ round, reason: error.message }, 'the federated evaluation of this round failed; the round\'s model stands, without held-out metrics');
      return undefined;
    } finally {
      this.phase = 'idle';
    }
  }

  /**
   * Collects one kind of update for a round, sums them as they arrive and publishes the sum: jointly
   * decrypted (threshold), in the clear (custody none) or encrypted for the nodes (single-key).
   * Returns the contributors and, where this coordinator sees it, the decrypted sum.
   */
  private async aggregateRound(round: number, kind: RoundKind): Promise<{ contributors: readonly string[]; values: Float64Array | undefined }> {
    const { job } = this.options;
    // A node that went away between rounds may be restarting: give it the join deadline to rejoin.
    // Threshold custody needs every node (each holds a share of the decryption key).
    const needed = job.custody.mode === 'threshold' ? job.federation.participants.length : job.federation.minParticipants;
    if (this.connectedParticipants().length < needed) {
      this.logger.warn({ round, connected: this.connectedParticipants().length, needed }, 'waiting for participants to rejoin before the round');
      await this.waitFor(() => this.connectedParticipants().length >= needed, Date.now() + job.federation.joinDeadlineSeconds * 1000);
    }
    const plan = this.strategy.configureRound({
      round,
      kind,
      connected: this.connectedParticipants(),
      minParticipants: job.federation.minParticipants,
      roundDeadlineMs: job.federation.roundDeadlineSeconds * 1000,
      now: Date.now(),
    });
    if (plan.participants.length < plan.minContributions) {
      throw new RoundFailedError(`round ${round}: only ${plan.participants.length} participants connected, ${plan.minContributions} needed`);
    }
    const vectorLength = countRoundValues(job, kind);
    const layout = { vectorLength, chunkCount: this.session.chunkCountFor(vectorLength) };
    const active: ActiveRound = {
      plan,
      layout,
      aggregator:
        job.custody.mode === 'none'
          ? new PlaintextSumAggregator(layout, this.session.valuesPerCiphertext)
          : this.strategy.createAggregator(this.session, layout, {
              retainContributions: job.custody.mode === 'threshold' && job.custody.verifyAggregate,
            }),
      inFlight: new Set(),
      signatures: new Map(),
      chunkHashes: new Map(),
      digests: new Map(),
      uploads: new Map(),
      open: true,
    };
    this.activeRound = active;
    try {
      this.logger.info({ round, kind, participants: plan.participants }, kind === 'evaluation' ? 'federated evaluation started' : 'round started');
      this.phase = 'collecting-updates';
      this.broadcast({ type: 'round-started', round, kind, deadlineUnixMs: plan.deadlineUnixMs });
      this.touched();
      // Done when everyone contributed, or when everyone still connected did and that meets the
      // quorum. Below the quorum, a node that went away may still rejoin (restarted) before the deadline.
      await this.waitFor(
        () =>
          plan.participants.every((id) => active.aggregator.hasContribution(id)) ||
          (active.aggregator.contributorCount >= plan.minContributions &&
            plan.participants.every((id) => active.aggregator.hasContribution(id) || !this.participants.get(id)?.connected)),
        plan.deadlineUnixMs,
      );
      active.open = false;
      for (const update of [...active.inFlight]) update.abort(`round ${round} deadline passed`);
      const contributors = active.aggregator.contributorCount;
      if (contributors < plan.minContributions) {
        throw new RoundFailedError(
          `round ${round} (${kind}): ${contributors} of ${plan.participants.length} participants contributed before the deadline; ` +
            `${plan.minContributions} needed`,
        );
      }
      const aggregate = active.aggregator.finalize();
      const ready = { round, kind, contributors: aggregate.contributors, chunkCount: layout.chunkCount, vectorLength };
      this.lastAggregatedRound = round;
      if ('values' in aggregate) {
        // Custody none: the sum is in the clear already; it is published as a decrypted one would be.
        this.lastDecrypted.set(kind, { round, values: aggregate.values });
        this.broadcast({ type: 'aggregate-decrypted', ...ready });
        return { contributors: aggregate.contributors, values: aggregate.values };
      }
      this.lastAggregate.set(kind, { round, chunks: aggregate.chunks });
      if (!this.keySetup) {
        this.broadcast({ type: 'aggregate-ready', ...ready });
        return { contributors: aggregate.contributors, values: undefined };
      }
      const values = await this.decryptJointly(ready, aggregate.chunks);
      this.broadcast({ type: 'aggregate-decrypted', ...ready });
      return { contributors: aggregate.contributors, values };
    } finally {
      this.phase = 'idle';
      active.open = false;
      active.aggregator.dispose();
      this.activeRound = undefined;
    }
  }

  /** Dealer-free N-of-N key generation: four signed steps, each waiting for every participant. */
  private async runKeySetup(keySetup: ThresholdKeySetup): Promise<void> {
    const { job } = this.options;
    const missingAtStart = job.federation.participants.filter((id) => !this.participants.get(id)?.connected);
    if (missingAtStart.length > 0) {
      throw new RoundFailedError(`threshold custody needs every participant for key setup; missing: ${missingAtStart.join(', ')}`);
    }
    let previous: ReturnType<ThresholdKeySetup['valuesOf']> = [];
    this.phase = 'key-setup';
    for (const step of KEY_SETUP_STEPS) {
      keySetup.begin(step);
      this.broadcast({ type: 'key-setup-requested', step, previous });
      // Key setup is part of starting the job (each party builds SEAL contexts): it gets the join deadline.
      await this.waitFor(() => keySetup.submittedCount(step) === job.federation.participants.length, Date.now() + job.federation.joinDeadlineSeconds * 1000);
      const missing = keySetup.missing(step);
      if (missing.length > 0) throw new RoundFailedError(`key setup: no valid ${step} from ${missing.join(', ')} before the deadline`);
      previous = keySetup.valuesOf(step);
    }
    const collective = await keySetup.collectiveKey();
    this.collectiveKeySha256 = collective.sha256;
    this.logger.info({ collectiveKeySha256: collective.sha256 }, 'collective public key assembled from every participant\'s share');
    this.phase = 'idle';
    this.broadcast({ type: 'key-setup-complete', publicShares: previous, collectiveKeySha256: collective.sha256 });
  }

  /**
   * Asks every participant for a partial decryption bound to this aggregate's hash, and combines
   * them. One missing or late share fails the round: N-of-N cannot decrypt without it, and no new
   * global model is published, so the previous one stays in force.
   */
  private async decryptJointly(
    ready: { round: number; kind: RoundKind; chunkCount: number; vectorLength: number; contributors: readonly string[] },
    chunks: readonly Uint8Array[],
  ): Promise<Float64Array> {
    const { job } = this.options;
    const hash = createHash('sha256');
    for (const chunk of chunks) hash.update(chunk);
    const decryption: JointDecryption = { round: ready.round, aggregateSha256: hash.digest('hex'), chunkCount: ready.chunkCount, shares: new Map(), open: true };
    this.decryption = decryption;
    this.phase = 'decryption';
    this.touched();
    try {
      this.broadcast({ type: 'decryption-requested', ...ready, aggregateSha256: decryption.aggregateSha256 });
      await this.waitFor(
        () => job.federation.participants.every((id) => decryption.shares.has(id)),
        Date.now() + job.federation.roundDeadlineSeconds * 1000,
      );
      decryption.open = false;
      const missing = job.federation.participants.filter((id) => !decryption.shares.has(id));
      if (missing.length > 0) {
        throw new RoundFailedError(
          `round ${ready.round}: no decryption share from ${missing.join(', ')} before the deadline; ` +
            'the aggregate stays encrypted and the previous global model stays in force',
        );
      }
      let values: Float64Array;
      try {
        this.thresholdContext ??= await ThresholdCkksContext.create(job.ckks);
        values = await combineDecryptionShares(this.thresholdContext, [...chunks], job.federation.participants.map((id) => decryption.shares.get(id) as Uint8Array[]), ready.vectorLength);
      } catch (error) {
        throw new RoundFailedError(`round ${ready.round}: decryption shares do not combine: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.lastDecrypted.set(ready.kind, { round: ready.round, values });
      return values;
    } finally {
      decryption.open = false;
      this.decryption = undefined;
    }
  }

  private broadcast(event: CoordinatorEvent): void {
    // A node rejoining during a round's evaluation must still apply the round's training aggregate first.
    if (event.type === 'round-started') this.roundEvents = event.kind === 'evaluation' ? this.roundEvents.filter((earlier) => earlier.type === 'aggregate-decrypted' || earlier.type === 'aggregate-ready') : [];
    if (event.type === 'round-started' || event.type === 'decryption-requested' || event.type === 'aggregate-ready' || event.type === 'aggregate-decrypted') {
      this.roundEvents.push(event);
    }
    for (const participant of this.participants.values()) if (participant.connected) this.sendTo(participant.id, event);
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

  /** Resolves true when `predicate` holds, false at the deadline; re-checked on every state change. */
  private waitFor(predicate: () => boolean, deadlineUnixMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const check = (): void => {
        if (this.stopRequested) {
          cleanup();
          reject(new RoundFailedError(this.stopRequested));
        } else if (predicate()) {
          cleanup();
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(predicate());
      }, Math.max(0, deadlineUnixMs - Date.now()));
      const cleanup = (): void => {
        clearTimeout(timer);
        this.changed.off('change', check);
      };
      this.changed.on('change', check);
      check();
    });
  }
}
