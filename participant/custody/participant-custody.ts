import type { Custody, JobSpec } from '../../protocols/job/job-spec.js';
import type { EncryptedChunk } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import { WireMessageError } from '../../protocols/errors.js';
import type { UpdateSigningContext } from '../../protocols/identity/participant-identity.js';
import type { EventOf } from '../participant-options.js';
import type { ParticipantState } from '../participant-state.js';
import type { PrivacyFloor } from '../privacy-policy.js';

/** What the coordinator said about the job when this node rejoined it. */
export interface ResumedJob {
  readonly lastCompletedRound: number;
  readonly collectiveKeySha256: string | undefined;
}

/**
 * Key custody on a participant: everything that differs between `none`, `single-key` and
 * `threshold`. The round path (participant/participant.ts and its steps) calls it at fixed points
 * and never branches on the mode; the encryption is a stage on the message path (a filter on
 * outgoing updates), so training code never sees a key or a ciphertext. One implementation per
 * mode (participant/custody/*-custody.ts), chosen in participant/custody/create-participant-custody.ts.
 */
export interface ParticipantCustody {
  readonly mode: Custody['mode'];
  /** How an upload is named in the log ("encrypted update accepted"). */
  readonly updateDescription: 'encrypted update' | 'unencrypted update';
  /** The nodes report the federated evaluation themselves when the coordinator cannot decrypt it. */
  readonly reportsFederatedEvaluation: boolean;

  /** At join, once the job matches this node's key folder: refuses a job this mode must not run. */
  acceptJob(job: JobSpec): void;
  /** At join, once the privacy floor is met: what the mode needs for the job (threshold: its key holder). */
  openJob(job: JobSpec, floor: PrivacyFloor): Promise<void>;

  /** Threshold key setup, step by step; the other modes refuse these messages. */
  onKeySetupRequested(event: EventOf<'key-setup-requested'>): Promise<void>;
  onKeySetupComplete(event: EventOf<'key-setup-complete'>): Promise<void>;

  /** Whether an update can be encoded now (threshold: only once the collective key is verified). */
  readyToEncode(): boolean;
  /** The encryption stage: the update as upload chunks in chunk order. */
  encodeUpdate(job: JobSpec, vector: Float64Array): Promise<AsyncIterable<EncryptedChunk>>;
  /** What the update's last chunk carries to prove who sent the whole update; none when undefined. */
  signUpdate(context: UpdateSigningContext, digest: Uint8Array): Uint8Array | undefined;

  /** `aggregate-ready`: the sum, decrypted by this node (single-key); `expectLayout` checks the announcement. */
  decryptAggregate(event: EventOf<'aggregate-ready'>, expectLayout: () => JobSpec): Promise<Float64Array>;
  /** `decryption-requested`: this node's partial decryption, if its guard allows (threshold). */
  onDecryptionRequested(
    event: EventOf<'decryption-requested'>,
    job: JobSpec,
    round: { current: number; ownUpdateAcknowledged: boolean },
  ): Promise<void>;

  /**
   * Whether this node still holds the key material the job needs, so it may catch up without saved
   * state (threshold: its secret share file; the other modes: the key folder it was started with).
   */
  holdsKeyMaterial(): Promise<boolean>;
  /** Rejoining in the same process: the coordinator must still name this node's key. */
  checkResumed(resumed: ResumedJob): void;
  /** Rejoining after a restart: the key material this node saved (`source` names the state file). */
  restore(saved: ParticipantState, resumed: ResumedJob, source: string): Promise<void>;
  /** What the saved state keeps of the key (threshold: the collective public key). */
  savedKey(): { collectiveKey: string | null; collectiveKeySha256: string | null };
  /** Frees SEAL handles and worker threads, wipes secrets in memory. */
  dispose(): Promise<void>;
}

/** A threshold key-custody message under another mode. */
export function notThresholdCustody(): WireMessageError {
  return new WireMessageError('a threshold key-custody message arrived, but this job does not use threshold custody');
}

/** An aggregate to decrypt alone, at a node that cannot. */
export function noDecryptionKey(): WireMessageError {
  return new WireMessageError('an encrypted aggregate arrived, but this node holds no decryption key');
}
