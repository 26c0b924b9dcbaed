import type { VerticalMethodName } from '../../proto/load-vertical-service.js';
import type { JoinRequest } from '../../protocols/wire/federation-messages.js';
import type { VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';

/** What the coordinator tells a party on its join stream. */
export type VerticalJoinNotice =
  | { readonly type: 'job-accepted'; readonly jobJson: unknown }
  | { readonly type: 'job-finished' }
  | { readonly type: 'job-failed'; readonly reason: string };

/**
 * A party's only way to reach the coordinator of a vertical job (the transport seam: gRPC in
 * production). Every message leaves through `post`, whose chunks the egress guard sees first.
 */
export interface VerticalConnection {
  join(request: JoinRequest): AsyncIterable<VerticalJoinNotice>;
  post(message: VerticalMessage): Promise<void>;
  /** Waits until the message exists at the coordinator, then returns it whole. */
  fetch(address: VerticalAddress): Promise<VerticalMessage>;
  close(): void;
}

/** One serialized request as it leaves the party (what the egress guard and ledger see). */
export interface VerticalEgressRecord {
  readonly method: VerticalMethodName;
  readonly bytes: Uint8Array;
}
