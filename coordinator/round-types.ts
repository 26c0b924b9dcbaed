/**
 * The coordinator's shared types, at the bottom of its imports: every file of coordinator/ may import
 * this one, and it imports none of them, so splitting the coordinator closes no import circle.
 */
import type { Logger } from 'pino';
import type { AggregateLayout, EncryptedSumAggregator } from '../protocols/aggregation/encrypted-sum-aggregator.js';
import type { PlaintextSumAggregator } from '../protocols/aggregation/plaintext-sum-aggregator.js';
import type { FederatedStrategy, RoundPlan } from '../protocols/aggregation/federated-strategy.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import type {
  CoordinatorEvent,
  DecryptionShareChunk,
  EvaluationReport,
  FailureCode,
  FailurePhase,
  Receipt,
  RoundKind,
  UpdateChunk,
} from '../protocols/wire/federation-messages.js';
import type { SoftwareVersions } from '../protocols/wire/software-versions.js';
import type { CoordinatorState } from './coordinator-state.js';

/** The rounds of a job: round 0's statistics, then training rounds (each with its evaluation phase). */
export type JobRoundKind = Exclude<RoundKind, 'evaluation'>;

/** The federation's evaluation of one round's model, from decrypted sums (or single-key nodes' reports). */
export interface RoundEvaluation {
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
  /** The job's model spec and training settings, as every participant trained with them. */
  readonly hyperParameters: { readonly model: JobSpec['model']; readonly training: JobSpec['training'] };
  /** HEFL, Node, node-seal, tfjs and wire protocol versions of the coordinator that ran the job. */
  readonly versions: SoftwareVersions;
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
  | { readonly type: 'participant'; readonly participantId: string; readonly state: 'joined' | 'left' | 'failed' }
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
  | 'left'
  | 'failed'; // left after reporting why (ReportFailure): see ParticipantActivity.failure

/** A node's report of why it stopped: a code and a phase from closed lists, the round, when it came. */
export interface ParticipantFailure {
  readonly code: FailureCode;
  readonly phase: FailurePhase;
  readonly round: number;
  readonly atUnixMs: number;
}

export interface ParticipantActivity {
  readonly id: string;
  readonly state: ParticipantActivityState;
  readonly connected: boolean;
  readonly lastSeenUnixMs: number | null;
  readonly sampleCount: number | null;
  /** While uploading: ciphertext chunks received of the update's total. */
  readonly upload: { readonly chunksReceived: number; readonly chunkCount: number } | null;
  /** The failure the node reported last (cleared when it joins again). */
  readonly failure: ParticipantFailure | null;
}

export type Phase = 'idle' | 'key-setup' | 'collecting-updates' | 'decryption' | 'evaluation';

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

export interface ConnectedParticipant {
  readonly id: string;
  readonly sink: EventSink;
  connected: boolean;
  sampleCount: number | null;
}

/** Ciphertext sums; plaintext sums only under custody none (HE off, the benchmark baseline). */
export type RoundAggregator = EncryptedSumAggregator | PlaintextSumAggregator;

/** The round collecting updates right now. */
export interface ActiveRound {
  readonly plan: RoundPlan;
  readonly layout: AggregateLayout;
  readonly aggregator: RoundAggregator;
  readonly inFlight: Set<IncomingUpdate>;
  /** Threshold custody: each contributor's signature over its update, for verifyAggregate. */
  readonly signatures: Map<string, Uint8Array>;
  /** Threshold custody: the SHA-256 of each chunk of each accepted update (what its signature covers). */
  readonly chunkHashes: Map<string, readonly Uint8Array[]>;
  /** Digest of each accepted update: a resent copy is acknowledged, never added twice. */
  readonly digests: Map<string, string>;
  /** Chunks received so far of each update still streaming in. */
  readonly uploads: Map<string, number>;
  /** Milliseconds spent adding chunks to the sum (load, validate, journal, add, commit), every update. */
  aggregationMs: number;
  open: boolean;
}

/** What an aggregate-ready / aggregate-decrypted / decryption-requested event says about a sum. */
export interface AggregateReady {
  readonly round: number;
  readonly kind: RoundKind;
  readonly contributors: readonly string[];
  readonly chunkCount: number;
  readonly vectorLength: number;
}

/**
 * The job's mutable progress, one object shared by the files of coordinator/ (each changes only its
 * part): lifecycle, the round in flight, the rounds completed and the counters the report shows.
 */
export interface JobProgress {
  status: CoordinatorStatus;
  failure: string | null;
  phase: Phase;
  activeRound: ActiveRound | undefined;
  collectiveKeySha256: string | null;
  bytesReceived: number;
  bytesSent: number;
  startedAt: string;
  finishedAt: string | null;
  readonly rounds: RoundSummary[];
  /** Single-key custody: each node's evaluation report, per round. */
  readonly evaluations: Map<number, Map<string, EvaluationReport>>;
}

/** The last round whose aggregate was published (restored rounds included); null before round 0 completed. */
export function lastCompletedRound(progress: JobProgress): number | null {
  return progress.rounds.at(-1)?.round ?? null;
}
