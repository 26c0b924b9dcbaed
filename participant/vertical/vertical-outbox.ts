import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyCustodyError } from '../../protocols/errors.js';
import { decodeBlobList, encodeBlobList } from '../../protocols/vertical/blob-list.js';
import { addressKey, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';

/** What a party made for one address: the payload it posts, the judged content of a sealed payload, and what it keeps. */
export interface OutboxEntry {
  readonly payload: Uint8Array;
  /** A sealed payload's content, as the egress guard judged it. */
  readonly inner?: Uint8Array | undefined;
  /** What the party keeps beside the message (the c0 coefficients that match its gradient products). */
  readonly local?: Uint8Array | undefined;
}

const INDEX_FILE = 'released.jsonl';

/**
 * Every message a party makes is written here (fsynced, owner-only) before it is posted, and its
 * address is recorded for good. A party restarted mid-batch re-posts the very same bytes (the
 * coordinator accepts an identical message again) instead of making new ones: a fresh encryption, or
 * a fresh partial decryption with new smudging noise, of something already released would differ,
 * and two noisy shares of the same value would average the noise away. An address whose message was
 * pruned is never made again.
 */
export class VerticalOutbox {
  private constructor(
    private readonly directory: string,
    private readonly released: Set<string>,
  ) {}

  static async open(directory: string): Promise<VerticalOutbox> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const text = await readFile(join(directory, INDEX_FILE), 'utf8').catch(() => '');
    const released = new Set(
      text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => (JSON.parse(line) as { address: string }).address),
    );
    return new VerticalOutbox(directory, released);
  }

  /** The stored entry for `address`, or the one `make` returns, stored durably before it is returned. */
  async once(address: VerticalAddress, make: () => Promise<OutboxEntry>): Promise<OutboxEntry> {
    const key = addressKey(address);
    const file = this.fileOf(key);
    const stored = await readFile(file).catch(() => undefined);
    if (stored) {
      const [payload, inner, local] = decodeBlobList(stored, `outbox entry ${key}`, 3) as [Uint8Array, Uint8Array, Uint8Array];
      return { payload, ...(inner.length > 0 ? { inner } : {}), ...(local.length > 0 ? { local } : {}) };
    }
    if (this.released.has(key)) throw new KeyCustodyError(`${key} was released before and its message is gone: it is not made again`);
    const entry = await make();
    await this.writeDurably(file, encodeBlobList([entry.payload, entry.inner ?? new Uint8Array(0), entry.local ?? new Uint8Array(0)]));
    await this.appendDurably(`${JSON.stringify({ address: key, sha256: createHash('sha256').update(entry.payload).digest('hex') })}\n`);
    this.released.add(key);
    return entry;
  }

  /** Deletes the stored messages of finished steps (their addresses stay released). */
  async prune(keep: (key: string) => boolean): Promise<void> {
    for (const key of this.released) if (!keep(key)) await rm(this.fileOf(key), { force: true });
  }

  private fileOf(key: string): string {
    return join(this.directory, `${createHash('sha256').update(key).digest('hex')}.bin`);
  }

  private async writeDurably(path: string, bytes: Uint8Array): Promise<void> {
    const temporary = `${path}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  }

  private async appendDurably(line: string): Promise<void> {
    const handle = await open(join(this.directory, INDEX_FILE), 'a', 0o600);
    try {
      await handle.appendFile(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
