import type { KeyObject } from 'node:crypto';
import { WireMessageError } from '../../protocols/errors.js';
import { COORDINATOR_SENDER, verticalAddress, type VerticalAddress, type VerticalKind } from '../../protocols/vertical/vertical-address.js';
import { signVerticalMessage, verifyVerticalMessage } from '../../protocols/vertical/vertical-signing.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import type { VerticalConnection } from './vertical-connection.js';
import type { VerticalEgressGuard } from './vertical-egress-guard.js';
import type { OutboxEntry, VerticalOutbox } from './vertical-outbox.js';

/**
 * A party's signed, guarded view of the coordinator's mailbox: `send` signs with the node's identity
 * and passes the whole message through the egress guard before it is posted; `receive` checks the
 * sender's signature (messages the coordinator makes carry none and are checked by their users).
 */
export class VerticalChannel {
  constructor(
    private readonly connection: VerticalConnection,
    private readonly options: {
      readonly jobId: string;
      readonly participantId: string;
      readonly identityKey: KeyObject;
      readonly peerIdentities: ReadonlyMap<string, KeyObject>;
      readonly guard: VerticalEgressGuard;
      /** Where every message of the training steps is kept before it is posted (restart safety). */
      readonly outbox?: VerticalOutbox | undefined;
    },
  ) {}

  get participantId(): string {
    return this.options.participantId;
  }

  /** Signs, judges (egress guard, ledger) and posts one message from this party. */
  async send(kind: VerticalKind, fields: Partial<Omit<VerticalAddress, 'kind' | 'sender'>>, payload: Uint8Array, sealedInner?: Uint8Array): Promise<void> {
    await this.post(verticalAddress(kind, { ...fields, sender: this.options.participantId }), payload, sealedInner);
  }

  /**
   * Posts the message this party made for the address, made at most once: after a restart the stored
   * message is posted again, bit for bit (Ed25519 signatures are deterministic), and `make` is not called.
   */
  async sendOnce(kind: VerticalKind, fields: Partial<Omit<VerticalAddress, 'kind' | 'sender'>>, make: () => Promise<OutboxEntry>): Promise<OutboxEntry> {
    const address = verticalAddress(kind, { ...fields, sender: this.options.participantId });
    const entry = this.options.outbox ? await this.options.outbox.once(address, make) : await make();
    await this.post(address, entry.payload, entry.inner);
    return entry;
  }

  private async post(address: VerticalAddress, payload: Uint8Array, sealedInner?: Uint8Array): Promise<void> {
    const message: VerticalMessage = { address, payload, signature: signVerticalMessage(this.options.identityKey, this.options.jobId, address, payload) };
    this.options.guard.approve(message, sealedInner);
    await this.connection.post(message);
  }

  get outbox(): VerticalOutbox | undefined {
    return this.options.outbox;
  }

  /** Fetches a message and checks who signed it. */
  async receive(kind: VerticalKind, fields: Partial<Omit<VerticalAddress, 'kind'>>): Promise<VerticalMessage> {
    const address = verticalAddress(kind, fields);
    const message = await this.connection.fetch(address);
    if (address.sender === COORDINATOR_SENDER) return message;
    const identity = this.options.peerIdentities.get(address.sender);
    if (!identity || !verifyVerticalMessage(identity, this.options.jobId, message.address, message.payload, message.signature)) {
      throw new WireMessageError(`the ${kind} message relayed as "${address.sender}"'s is not signed by "${address.sender}"`);
    }
    return message;
  }

  /** The same message from every listed sender, in order. */
  receiveFromEach(kind: VerticalKind, senders: readonly string[], fields: Partial<Omit<VerticalAddress, 'kind' | 'sender'>> = {}): Promise<VerticalMessage[]> {
    return Promise.all(senders.map((sender) => this.receive(kind, { ...fields, sender })));
  }
}
