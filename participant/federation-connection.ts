import type { FederationMethodName } from '../proto/load-federation-service.js';
import type {
  ContributionChunk,
  CoordinatorEvent,
  DecryptionShareChunk,
  EvaluationReport,
  FailureReport,
  KeySetupMessage,
  FetchAggregateRequest,
  JoinRequest,
  Receipt,
  UpdateChunk,
} from '../protocols/wire/federation-messages.js';

/**
 * The participant's only way to reach the coordinator (the transport seam; gRPC in production,
 * anything in tests). Each method is one protocol message type, so an egress guard can wrap it.
 */
export interface FederationConnection {
  /** Joins the job; yields the job spec, then round events, until the coordinator ends the stream. */
  join(request: JoinRequest): AsyncIterable<CoordinatorEvent>;
  /** Chunks may be produced while streaming (an async iterable): only a few are held at a time. */
  submitUpdate(chunks: Iterable<UpdateChunk> | AsyncIterable<UpdateChunk>): Promise<Receipt>;
  fetchAggregate(request: FetchAggregateRequest): Promise<Uint8Array[]>;
  reportEvaluation(report: EvaluationReport): Promise<Receipt>;
  /** Threshold custody: one signed key-setup value. */
  submitKeySetup(message: KeySetupMessage): Promise<Receipt>;
  /** Threshold custody: this node's partial decryption of the round's aggregate. */
  submitDecryptionShare(chunks: Iterable<DecryptionShareChunk>): Promise<Receipt>;
  /** Threshold custody: the jointly decrypted aggregate (plain sums). */
  fetchDecryptedAggregate(request: FetchAggregateRequest): Promise<Float64Array[]>;
  /** Threshold custody with verifyAggregate: every signed contribution to the round's aggregate. */
  fetchContributions(request: FetchAggregateRequest): AsyncIterable<ContributionChunk>;
  /** Once, when this node stops on an error: a code, the phase and the round (no text). */
  reportFailure(report: FailureReport): Promise<Receipt>;
  close(): void;
}

/** One message as it leaves the participant: the exact serialized bytes and what they are. */
export interface EgressRecord {
  readonly method: FederationMethodName;
  readonly bytes: Uint8Array;
}
