import type { JobSpec } from '../job/job-spec.js';

/** Domain-side federation messages: what the coordinator and participants reason about. */

/**
 * 4: the round-0 statistics travel as fixed-point limbs (protocols/data/statistics-limbs.ts), a
 * longer vector that a version-3 node would misread as raw sums.
 * 3: sample counts, local losses and evaluation metrics travel inside the ciphertexts (no per-node
 * statistic in the clear), evaluation rounds, and partial decryptions name the c1 they decrypt.
 * 2: two values per CKKS slot. An older node is refused at Join with a clear reason.
 */
export const PROTOCOL_VERSION = 4;

/** Ciphertext chunks are far below gRPC's 4 MiB default; anything larger is refused on sight. */
export const MAX_CHUNK_BYTES = 3 * 1024 * 1024;

/**
 * statistics: round 0's column sums; training: a round's weighted deltas; evaluation: after each
 * training round, the new model's federated ROC counts (same round number as its training round).
 */
export type RoundKind = 'statistics' | 'training' | 'evaluation';

export interface JoinRequest {
  readonly jobId: string;
  readonly participantId: string;
  readonly protocolVersion: number;
  readonly keyFingerprint: string;
  /** A node already in this job (rejoining): the last round whose aggregate it applied. */
  readonly resumeAfterRound?: number | undefined;
  /**
   * A restarted node without saved state that still holds its key material (threshold custody: its
   * secret key share): it catches up on the published aggregates of the completed rounds.
   */
  readonly catchUp?: boolean | undefined;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

export type KeySetupStep = 'seed-commitment' | 'seed-reveal' | 'share-commitment' | 'public-share' | TofnKeySetupStep;

/**
 * t-of-N custody only, after the N-of-N steps: each node's fresh X25519 sealing key, its sealed Shamir
 * share for each other node (relayed to that node alone), and its canary partial decryptions for the
 * cover committees it sits on (protocols/wire/tofn-key-setup-values.ts).
 */
export type TofnKeySetupStep = 'sealing-key' | 'shamir-share' | 'canary-share';
export const TOFN_KEY_SETUP_STEPS: readonly TofnKeySetupStep[] = ['sealing-key', 'shamir-share', 'canary-share'];

export const KEY_SETUP_STEPS: readonly KeySetupStep[] = ['seed-commitment', 'seed-reveal', 'share-commitment', 'public-share'];

/** A participant's value in the threshold key setup, signed with its Ed25519 identity. */
export interface SignedValue {
  readonly participantId: string;
  readonly value: Uint8Array;
  readonly signature: Uint8Array;
}

export type CoordinatorEvent =
  | {
      readonly type: 'job-accepted';
      readonly job: JobSpec;
      /** Set when the job is already under way (a rejoin): where it stands, for the node to check. */
      readonly resumed?: { readonly lastCompletedRound: number; readonly collectiveKeySha256: string | undefined } | undefined;
    }
  | { readonly type: 'round-started'; readonly round: number; readonly kind: RoundKind; readonly deadlineUnixMs: number }
  | {
      readonly type: 'aggregate-ready';
      readonly round: number;
      readonly kind: RoundKind;
      readonly contributors: readonly string[];
      readonly chunkCount: number;
      readonly vectorLength: number;
    }
  | { readonly type: 'job-finished'; readonly roundsCompleted: number }
  | { readonly type: 'job-failed'; readonly reason: string }
  | { readonly type: 'key-setup-requested'; readonly step: KeySetupStep; readonly previous: readonly SignedValue[] }
  | {
      readonly type: 'key-setup-complete';
      readonly publicShares: readonly SignedValue[];
      readonly collectiveKeySha256: string;
      /** Every participant's signed seed reveal: what a node catching up without saved state rebuilds the key from. */
      readonly seedReveals?: readonly SignedValue[] | undefined;
    }
  | {
      readonly type: 'decryption-requested';
      readonly round: number;
      readonly kind: RoundKind;
      readonly aggregateSha256: string;
      readonly chunkCount: number;
      readonly vectorLength: number;
      readonly contributors: readonly string[];
      /** t-of-N custody: the t participants asked to decrypt, sorted; absent under N-of-N. */
      readonly committee?: readonly string[] | undefined;
    }
  | {
      readonly type: 'aggregate-decrypted';
      readonly round: number;
      readonly kind: RoundKind;
      readonly contributors: readonly string[];
      readonly chunkCount: number;
      readonly vectorLength: number;
    };

export interface KeySetupMessage {
  readonly jobId: string;
  readonly participantId: string;
  readonly step: KeySetupStep;
  readonly value: Uint8Array;
  readonly signature: Uint8Array;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

export interface DecryptionShareChunk {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly chunkIndex: number;
  readonly share: Uint8Array;
  /** Chunk 0 only: the aggregate this share decrypts. */
  readonly aggregateSha256: string | undefined;
  /** Chunk 0 only: replay protection (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
  /** SHA-256 of the c1 polynomial this chunk's share decrypts (what the decryption guard keys on). */
  readonly c1Sha256: Uint8Array;
  /** Chunk 0 only: SHA-256 of the sorted contributor ids the share was released for. */
  readonly contributorsSha256?: Uint8Array | undefined;
  /** t-of-N custody, chunk 0 only: committeeDigest of the committee the share was released for. */
  readonly committeeSha256?: Uint8Array | undefined;
}

export interface DecryptedChunk {
  readonly round: number;
  readonly chunkIndex: number;
  readonly values: Float64Array;
}

/**
 * The plaintext metadata that travels with an encrypted update (chunk 0 only): its kind and layout.
 * Sample counts and losses are inside the ciphertext (see protocols/aggregation/update-vector.ts).
 */
export interface UpdateMetadata {
  readonly kind: RoundKind;
  readonly vectorLength: number;
  readonly chunkCount: number;
}

export interface UpdateChunk {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly chunkIndex: number;
  readonly ciphertext: Uint8Array;
  readonly metadata: UpdateMetadata | undefined;
  /** Threshold custody, last chunk only: the sender's signature over the whole update. */
  readonly updateSignature?: Uint8Array | undefined;
  /** Chunk 0 only: replay protection (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

/** One chunk of one contribution, relayed for aggregate verification. */
export interface ContributionChunk {
  readonly participantId: string;
  readonly chunkIndex: number;
  readonly ciphertext: Uint8Array;
  readonly chunkCount: number;
  /** The first message relayed for each contributor: its signature over its update. */
  readonly updateSignature: Uint8Array | undefined;
  /** With the signature: the SHA-256 of every chunk of the update, in order (what the signature covers). */
  readonly chunkHashes: readonly Uint8Array[] | undefined;
}

export interface FetchAggregateRequest {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly kind: RoundKind;
  /** FetchContributions only: the chunks to relay (sampled verification); all when absent or empty. */
  readonly chunkIndices?: readonly number[] | undefined;
}

/**
 * Single-key custody only (the coordinator holds no key there): the federation-wide metrics a node
 * computed from the decrypted sums of a round, never its own.
 */
export interface EvaluationReport {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly evaluationCount: number;
  readonly auc: number;
  readonly loss: number;
  readonly totalSamples: number;
  readonly meanTrainingLoss: number;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

/**
 * Why a participant stopped, from a closed list (protocols/wire/failure-report-mapping.ts maps
 * errors to it). No text travels: a dataset's error message names cell values.
 */
export const FAILURE_CODES = [
  'dataset-invalid',
  'config-invalid',
  'custody-violation',
  'protocol-violation',
  'out-of-memory',
  'internal',
  'stopped-by-operator',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Where in the job the participant was when it stopped. */
export const FAILURE_PHASES = ['join', 'key-setup', 'statistics', 'training', 'evaluation', 'decryption', 'finish'] as const;
export type FailurePhase = (typeof FAILURE_PHASES)[number];

/** A participant's one message about why it stops: bounded, structured, no free text. */
export interface FailureReport {
  readonly jobId: string;
  readonly participantId: string;
  readonly code: FailureCode;
  readonly phase: FailurePhase;
  readonly round: number;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

export type Receipt = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

export type Parsed<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly reason: string };
