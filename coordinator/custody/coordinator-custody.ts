import type { Logger } from 'pino';
import type { AggregateLayout, FinalizedAggregate } from '../../protocols/aggregation/encrypted-sum-aggregator.js';
import type { FederatedStrategy } from '../../protocols/aggregation/federated-strategy.js';
import type { PlaintextAggregate } from '../../protocols/aggregation/plaintext-sum-aggregator.js';
import type { CkksSession } from '../../protocols/ckks/ckks-session.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { CoordinatorKeys } from '../../protocols/keys/read-key-folder.js';
import type {
  ContributionChunk,
  DecryptionShareChunk,
  FetchAggregateRequest,
  KeySetupMessage,
  Parsed,
  Receipt,
  UpdateChunk,
} from '../../protocols/wire/federation-messages.js';
import type { CoordinatorEvents } from '../coordinator-events.js';
import type { ParticipantRoster } from '../participant-roster.js';
import type { PublishedAggregates } from '../published-aggregates.js';
import type { AggregateReady, IncomingDecryptionShare, JobProgress, RoundAggregator } from '../round-types.js';

/** An update fully received, before it counts: what a custody may check about it. */
export interface ReceivedUpdate {
  readonly first: UpdateChunk;
  readonly metadata: NonNullable<UpdateChunk['metadata']>;
  /** The update digest over all its chunks (what a signature covers). */
  readonly digest: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

/** Refuses a decryption share the way the coordinator does (counted, logged); the custody names why. */
export type RefuseShare = (reason: string) => Parsed<IncomingDecryptionShare>;

/**
 * Everything that differs with the job's key custody (none, single-key, threshold), on the
 * coordinator's side; the round loop (coordinator/run-round.ts) calls these and never asks the mode.
 * A new mode is one new file implementing this plus one line in create-coordinator-custody.ts.
 */
export interface CoordinatorCustody {
  /** Participants that must be connected before a round starts. */
  readonly participantsNeeded: number;
  /** False under custody none, where updates arrive in the clear (said so in the log). */
  readonly encryptsUpdates: boolean;
  /** True where the nodes decrypt and report the round's evaluation figures themselves (single-key). */
  readonly nodesReportEvaluations: boolean;
  /** Before round 0 of a fresh job (not on resume): builds whatever keys the rounds need. */
  setUpKeys(): Promise<void>;
  /** A round's running sum. */
  createAggregator(layout: AggregateLayout): RoundAggregator;
  /** Why a fully received update must not count, or undefined when it may. */
  checkUpdate(update: ReceivedUpdate): string | undefined;
  /** Makes a round's sum available to the nodes; returns the decrypted sum where this coordinator sees it. */
  publish(ready: AggregateReady, aggregate: FinalizedAggregate | PlaintextAggregate): Promise<Float64Array | undefined>;
  /** A key-setup value (the caller checked the job). */
  submitKeySetup(message: KeySetupMessage): Receipt;
  /** The first chunk of a partial decryption (the caller checked job and participant). */
  openDecryptionShare(first: DecryptionShareChunk, refuse: RefuseShare): Parsed<IncomingDecryptionShare>;
  /** verifyAggregate: the signed contributions to the round awaiting decryption (the caller checked the job). */
  contributionsFor(request: FetchAggregateRequest): Parsed<Iterable<ContributionChunk>>;
  /** While a joint decryption runs: whether this participant's share is still awaited. */
  awaitsDecryptionShareFrom(participantId: string): boolean;
  /** At the end of the job: frees what the custody holds (SEAL contexts). */
  dispose(): void;
}

/** What a custody may use of the coordinator; all of it is public material or the job's progress. */
export interface CustodyContext {
  readonly job: JobSpec;
  readonly keys: CoordinatorKeys;
  readonly session: CkksSession;
  readonly strategy: FederatedStrategy;
  readonly progress: JobProgress;
  readonly roster: ParticipantRoster;
  readonly events: CoordinatorEvents;
  readonly published: PublishedAggregates;
  readonly logger: Logger;
}
