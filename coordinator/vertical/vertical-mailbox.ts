import { addressKey, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';

/**
 * The coordinator's store of vertical messages, one per address. A fetch of an address that is not
 * there yet waits for it (no polling): the post resolves every waiter. A second post to a full
 * address is accepted only when it is byte-for-byte the same message (a party resending after a
 * restart); anything else is refused, so nobody can swap a message others may already have read.
 */
export class VerticalMailbox {
  private readonly messages = new Map<string, VerticalMessage>();
  private readonly waiters = new Map<string, ((message: VerticalMessage) => void)[]>();
  private failure: Error | undefined;

  /** 'stored', 'duplicate' (identical resend) or the reason it was refused. */
  put(message: VerticalMessage): 'stored' | 'duplicate' | { refused: string } {
    const key = addressKey(message.address);
    const existing = this.messages.get(key);
    if (existing) {
      const same = Buffer.compare(Buffer.from(existing.payload), Buffer.from(message.payload)) === 0 && Buffer.compare(Buffer.from(existing.signature), Buffer.from(message.signature)) === 0;
      return same ? 'duplicate' : { refused: `a different message is already stored at ${key}` };
    }
    this.messages.set(key, message);
    for (const resolve of this.waiters.get(key) ?? []) resolve(message);
    this.waiters.delete(key);
    return 'stored';
  }

  get(address: VerticalAddress): VerticalMessage | undefined {
    return this.messages.get(addressKey(address));
  }

  has(address: VerticalAddress): boolean {
    return this.messages.has(addressKey(address));
  }

  /** Resolves when the message is there; rejects when the job fails or `signal` aborts. */
  wait(address: VerticalAddress, signal?: AbortSignal): Promise<VerticalMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const found = this.get(address);
    if (found) return Promise.resolve(found);
    // An 'abort' listener added to a signal that already fired never runs: the wait would hang.
    if (signal?.aborted) return Promise.reject(new Error('the fetch was cancelled'));
    const key = addressKey(address);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(key) ?? [];
      const onAbort = (): void => {
        const remaining = (this.waiters.get(key) ?? []).filter((entry) => entry !== settle);
        if (remaining.length > 0) this.waiters.set(key, remaining);
        else this.waiters.delete(key);
        this.rejecters.delete(reject);
        reject(new Error('the fetch was cancelled'));
      };
      const settle = (message: VerticalMessage): void => {
        signal?.removeEventListener('abort', onAbort);
        this.rejecters.delete(reject);
        resolve(message);
      };
      list.push(settle);
      this.waiters.set(key, list);
      this.rejecters.add(reject);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private readonly rejecters = new Set<(error: Error) => void>();

  /** Fails every waiting and future fetch (the job failed or finished). */
  close(error: Error): void {
    this.failure = error;
    for (const reject of this.rejecters) reject(error);
    this.rejecters.clear();
    this.waiters.clear();
  }

  /** Forgets the messages of finished batches (bounded memory over a long job). */
  prune(keep: (address: VerticalAddress) => boolean): void {
    for (const [key, message] of this.messages) if (!keep(message.address)) this.messages.delete(key);
  }
}
