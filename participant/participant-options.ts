import type { Logger } from 'pino';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import type { Standardization } from './data/standardization-from-totals.js';
import type { PartnerGain } from './partner-gain.js';
import type { ParticipantKeys } from '../protocols/keys/read-key-folder.js';
import type { CoordinatorEvent, RoundKind } from '../protocols/wire/federation-messages.js';
import type { FederationConnection } from './federation-connection.js';
import type { PrivacyPolicy } from './privacy-policy.js';
import type { PrivacySpentFields } from '../protocols/ledger/privacy-spent.js';

/*
 * The participant's public types, apart from the class (participant/participant.ts re-exports them),
 * so every step of the round path can use them without importing the class that calls it.
 */

export type ParticipantStatus = 'created' | 'joining' | 'training' | 'finished' | 'failed';

export interface ParticipantOptions {
  readonly participantId: string;
  readonly jobId: string;
  readonly dataCsv: string;
  readonly evaluationCsv?: string | undefined;
  readonly csvDelimiter?: ';' | ',' | undefined;
  /** Where the final model bundle goes; no model is written when absent. */
  readonly modelDirectory?: string | undefined;
  /** Threshold custody: where this node keeps its secret key share (mode 0600); memory only when absent. */
  readonly secretShareFile?: string | undefined;
  readonly keys: ParticipantKeys;
  readonly connection: FederationConnection;
  readonly logger?: Logger;
  readonly strategy?: FederatedStrategy;
  /** Called with each new global model's evaluation (only when evaluation data is configured). */
  readonly onRoundEvaluated?: (round: number, evaluation: { auc: number; loss: number; count: number }) => void;
  /** Called as rounds, local epochs and uploads advance (for progress displays). */
  readonly onProgress?: (progress: ParticipantProgress) => void;
  /**
   * When the coordinator goes away mid-job (a crash, a restart with --resume, a broken link), keep
   * rejoining with exponential backoff and jitter for this long before giving up; 0 = never retry.
   */
  readonly reconnectForMs?: number;
  /**
   * Where this node saves its state after every applied round (atomically), and from where a
   * restarted process takes it to rejoin the job; none when absent.
   */
  readonly stateFile?: string | undefined;
  /** Worker threads for encryption (default: the machine's available parallelism); 0 = this thread. */
  readonly encryptionThreads?: number;
  /** Custody `none` (HE switched off, the benchmark baseline) only with this set; refused otherwise. */
  readonly allowUnencryptedUpdates?: boolean;
  /** Backoff bounds for rejoining (defaults 250 ms doubling up to 5 s, each with ±50 % jitter). */
  readonly reconnectBackoffMs?: { readonly initial: number; readonly max: number };
  /** This node's privacy floor (its config's `privacy`): a weaker job is refused at join. */
  readonly privacy?: PrivacyPolicy;
  /**
   * Threshold custody: where the node appends (and fsyncs) every partial decryption it releases, by
   * c1, before the share leaves; read again after a restart. Memory only when absent.
   */
  readonly decryptionGuardFile?: string | undefined;
  /**
   * Keep the secret key share on disk after the job finished (it is wiped by default; a failed or
   * stopped job always keeps it, for a resume).
   */
  readonly keepSecretShare?: boolean;
  /**
   * Differential privacy: after each DP-SGD round, before its update leaves, the ε spent so far on
   * this node's rows (with z, C, q, steps); the CLI records it in the signed ledger (PrivacySpent).
   */
  readonly onPrivacySpent?: (fields: PrivacySpentFields) => void;
  /** Called when the node refuses to release something (a partial decryption): the CLI records it in the ledger. */
  readonly onRefusal?: (messageType: string, reason: string) => void;
  /**
   * After the job finished, train a local-only model (same model spec, settings and standardization,
   * this node's rows only), compare it with the federated model on the evaluation rows and write the
   * comparison here (the config's `compareWithLocalOnly`: OUTPUT_DIR/partner-gain.json). Nothing of it
   * leaves the node. None when absent.
   */
  readonly localOnlyComparisonFile?: string | undefined;
  /** SHA-256 of the job pinned in the startup kit's manifest (`hefl provision --job`): any other job is refused at join. */
  readonly pinnedJobSha256?: string | undefined;
}

/** What a progress display can show; counts and sizes only, never data or key material. */
export type ParticipantProgress =
  | { readonly type: 'round-started'; readonly round: number; readonly kind: RoundKind; readonly rounds: number }
  | { readonly type: 'training-epoch'; readonly round: number; readonly epoch: number; readonly epochs: number }
  | { readonly type: 'upload'; readonly round: number; readonly bytesSent: number; readonly bytesTotal: number }
  | { readonly type: 'round-applied'; readonly round: number };

export interface ParticipantOutcome {
  readonly roundsCompleted: number;
  readonly finalWeights: Float32Array;
  readonly standardization: Standardization;
  readonly sampleCount: number;
  /** With `training.differentialPrivacy`: the ε this node spent on its rows, at its δ, and how. */
  readonly privacy?: ParticipantPrivacy;
  /** With `localOnlyComparisonFile`: the federated vs local-only comparison it wrote. */
  readonly partnerGain?: PartnerGain;
}

/** This node's differential privacy in the job, as it accounts it. */
export interface ParticipantPrivacy {
  readonly mechanism: string;
  readonly epsilon: number;
  readonly delta: number;
  readonly maxEpsilon: number | undefined;
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  readonly sampleRate: number;
  readonly steps: number;
  /** Distributed mechanisms: ε with every other participant colluding (only this node's noise share left). */
  readonly epsilonIfOthersCollude?: number;
  /** Distributed mechanisms: Q, the shares the noise is split into. */
  readonly noiseShares?: number;
}

/** What every step of a participant's round reads: its options, its log and the strategy. */
export interface ParticipantNode {
  readonly options: ParticipantOptions;
  readonly logger: Logger;
  readonly strategy: FederatedStrategy;
}

/** One kind of coordinator event. */
export type EventOf<T extends CoordinatorEvent['type']> = Extract<CoordinatorEvent, { type: T }>;
