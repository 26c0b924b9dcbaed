import type { JobSpec } from '../job/job-spec.js';

/** Domain-side federation messages: what the coordinator and participants reason about. */

/**
 * 2: two values per CKKS slot (8,192 values per ciphertext at N = 8192). A node of version 1 encodes
 * half as many per ciphertext, so it is refused at Join with a clear reason, not at its first chunk.
 */
export const PROTOCOL_VERSION = 2;

/** Ciphertext chunks are far below gRPC's 4 MiB default; anything larger is refused on sight. */
export const MAX_CHUNK_BYTES = 3 * 1024 * 1024;

export type RoundKind = 'statistics' | 'training';

export interface JoinRequest {
  readonly jobId: string;
  readonly participantId: string;
  readonly protocolVersion: number;
  readonly keyFingerprint: string;
  /** A node already in this job (rejoining): the last round whose aggregate it applied. */
  readonly resumeAfterRound?: number | undefined;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

export type KeySetupStep = 'seed-commitment' | 'seed-reveal' | 'share-commitment' | 'public-share';

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
      readonly totalWeight: number;
      readonly contributors: readonly string[];
      readonly chunkCount: number;
      readonly vectorLength: number;
    }
  | { readonly type: 'job-finished'; readonly roundsCompleted: number }
  | { readonly type: 'job-failed'; readonly reason: string }
  | { readonly type: 'key-setup-requested'; readonly step: KeySetupStep; readonly previous: readonly SignedValue[] }
  | { readonly type: 'key-setup-complete'; readonly publicShares: readonly SignedValue[]; readonly collectiveKeySha256: string }
  | {
      readonly type: 'decryption-requested';
      readonly round: number;
      readonly kind: RoundKind;
      readonly aggregateSha256: string;
      readonly chunkCount: number;
      readonly vectorLength: number;
      readonly contributors: readonly string[];
      readonly totalWeight: number;
    }
  | {
      readonly type: 'aggregate-decrypted';
      readonly round: number;
      readonly kind: RoundKind;
      readonly totalWeight: number;
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
}

export interface DecryptedChunk {
  readonly round: number;
  readonly chunkIndex: number;
  readonly values: Float64Array;
}

/** The bounded plaintext metadata that travels with an encrypted update (chunk 0 only). */
export interface UpdateMetadata {
  readonly kind: RoundKind;
  readonly sampleCount: number;
  readonly localLoss: number;
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

/** One chunk of one contribution, relayed for verifyAggregate. */
export interface ContributionChunk {
  readonly participantId: string;
  readonly chunkIndex: number;
  readonly ciphertext: Uint8Array;
  /** Chunk 0 only (0 elsewhere). */
  readonly sampleCount: number;
  readonly chunkCount: number;
  /** Last chunk only. */
  readonly updateSignature: Uint8Array | undefined;
}

export interface FetchAggregateRequest {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
}

export interface EvaluationReport {
  readonly jobId: string;
  readonly participantId: string;
  readonly round: number;
  readonly evaluationCount: number;
  readonly auc: number;
  readonly loss: number;
  /** Replay protection: 16 fresh random bytes (stamped by the wire mapping when absent). */
  readonly nonce?: Uint8Array | undefined;
}

export type Receipt = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

export type Parsed<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly reason: string };
