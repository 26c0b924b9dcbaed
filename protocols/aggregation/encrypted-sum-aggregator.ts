import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ciphertext } from 'node-seal';
import type { CkksSession } from '../ckks/ckks-session.js';
import { WireMessageError } from '../errors.js';
import { ContributionRegistry } from './contribution-registry.js';

export interface AggregateLayout {
  readonly chunkCount: number;
  readonly vectorLength: number;
}

export interface FinalizedAggregate extends AggregateLayout {
  /** SEAL-serialized ciphertexts of sum_i n_i * x_i, one per chunk. */
  readonly chunks: readonly Uint8Array[];
  readonly totalWeight: number;
  readonly contributors: readonly string[];
}

export type ContributionResult = { accepted: true } | { accepted: false; reason: string };

/** One participant's update while its chunks stream in. */
export interface Contribution {
  accept(chunkIndex: number, bytes: Uint8Array): void;
  /** The last chunk arrived: the contribution becomes part of the aggregate. */
  commit(): void;
  /** The stream broke: every chunk already added is subtracted again, exactly. */
  abort(): void;
}

/**
 * Streaming homomorphic sum (coordinator side). Each chunk is added to the running sum the moment it
 * arrives, so memory is one encrypted model however many participants there are. Chunks of an update
 * still in flight are journaled to a temp file, so a broken stream can be subtracted out and a
 * half-received update never stays in the aggregate. It holds no secret key and cannot decrypt.
 */
export class EncryptedSumAggregator implements Disposable {
  private readonly sums: (Ciphertext | undefined)[];
  /** How many contributions (committed or streaming) each chunk's sum holds. */
  private readonly termCounts: number[];
  private readonly registry = new ContributionRegistry();
  private journalDirectory: string | undefined;
  /** Journals of committed contributions, kept when the round's contributions must be re-served. */
  private readonly retained = new Map<string, { path: string; entries: { offset: number; length: number }[] }>();

  constructor(
    private readonly session: CkksSession,
    readonly layout: AggregateLayout,
    private readonly options: { retainContributions?: boolean } = {},
  ) {
    if (layout.chunkCount !== session.chunkCountFor(layout.vectorLength)) {
      throw new Error(`layout mismatch: ${layout.vectorLength} values need ${session.chunkCountFor(layout.vectorLength)} chunks`);
    }
    this.sums = new Array<Ciphertext | undefined>(layout.chunkCount).fill(undefined);
    this.termCounts = new Array<number>(layout.chunkCount).fill(0);
  }

  get contributorCount(): number {
    return this.registry.contributorCount;
  }

  hasContribution(participantId: string): boolean {
    return this.registry.hasContribution(participantId);
  }

  begin(participantId: string, weight: number): Contribution {
    this.registry.open(participantId, weight);
    const journal = this.openJournal(participantId);
    const offsets: { chunkIndex: number; offset: number; length: number }[] = [];
    let journalLength = 0;
    let nextChunk = 0;
    let open = true;
    const close = (committed: boolean, keep = false): void => {
      open = false;
      this.registry.close(participantId, committed ? weight : undefined);
      closeSync(journal.fd);
      if (keep) this.retained.set(participantId, { path: journal.path, entries: offsets });
      else rmSync(journal.path, { force: true });
    };
    return {
      accept: (chunkIndex, bytes) => {
        if (!open) throw new WireMessageError(`${participantId}: update stream already closed`);
        if (chunkIndex !== nextChunk) {
          throw new WireMessageError(`${participantId}: chunk ${chunkIndex} arrived, expected chunk ${nextChunk}`);
        }
        if (chunkIndex >= this.layout.chunkCount) {
          throw new WireMessageError(`${participantId}: chunk ${chunkIndex} is beyond the ${this.layout.chunkCount} chunks of this round`);
        }
        const ciphertext = this.session.loadCiphertext(bytes, `${participantId} chunk ${chunkIndex}`);
        writeSync(journal.fd, bytes, 0, bytes.length, journalLength);
        offsets.push({ chunkIndex, offset: journalLength, length: bytes.length });
        journalLength += bytes.length;
        const sum = this.sums[chunkIndex];
        if (sum) {
          this.session.addInPlace(sum, ciphertext);
          this.session.release(ciphertext);
        } else {
          this.sums[chunkIndex] = ciphertext;
        }
        this.termCounts[chunkIndex] = (this.termCounts[chunkIndex] as number) + 1;
        nextChunk += 1;
      },
      commit: () => {
        if (!open) throw new WireMessageError(`${participantId}: update stream already closed`);
        if (nextChunk !== this.layout.chunkCount) {
          throw new WireMessageError(`${participantId}: update ended after ${nextChunk} of ${this.layout.chunkCount} chunks`);
        }
        close(true, this.options.retainContributions === true);
      },
      abort: () => {
        if (!open) return;
        for (const entry of offsets) {
          const remaining = (this.termCounts[entry.chunkIndex] as number) - 1;
          this.termCounts[entry.chunkIndex] = remaining;
          if (remaining === 0) {
            // The sum was this chunk alone; SEAL refuses to produce the all-zero (transparent) result.
            this.session.release(this.sums[entry.chunkIndex] as Ciphertext);
            this.sums[entry.chunkIndex] = undefined;
            continue;
          }
          const bytes = new Uint8Array(entry.length);
          readSync(journal.fd, bytes, 0, entry.length, entry.offset);
          const ciphertext = this.session.loadCiphertext(bytes, `${participantId} journal chunk ${entry.chunkIndex}`);
          this.session.subtractInPlace(this.sums[entry.chunkIndex] as Ciphertext, ciphertext);
          this.session.release(ciphertext);
        }
        close(false);
      },
    };
  }

  /** A committed contribution's chunks, read back from its journal (retainContributions only). */
  *contributionChunks(participantId: string): Generator<Uint8Array> {
    const journal = this.retained.get(participantId);
    if (!journal) throw new Error(`no retained contribution from ${participantId}`);
    const fd = openSync(journal.path, 'r');
    try {
      for (const entry of journal.entries) {
        const bytes = new Uint8Array(entry.length);
        readSync(fd, bytes, 0, entry.length, entry.offset);
        yield bytes;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** The aggregate of every committed contribution. Refuses while an update is still streaming. */
  finalize(): FinalizedAggregate {
    const { totalWeight, contributors } = this.registry.totals();
    const chunks = this.sums.map((sum) => this.session.serializeCiphertext(sum as Ciphertext));
    return { ...this.layout, chunks, totalWeight, contributors };
  }

  dispose(): void {
    for (const sum of this.sums) if (sum) this.session.release(sum);
    this.sums.fill(undefined);
    this.termCounts.fill(0);
    this.registry.clear();
    this.retained.clear();
    if (this.journalDirectory) rmSync(this.journalDirectory, { recursive: true, force: true });
    this.journalDirectory = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private openJournal(participantId: string): { fd: number; path: string } {
    this.journalDirectory ??= mkdtempSync(join(tmpdir(), 'hefl-aggregate-'));
    const path = join(this.journalDirectory, `${encodeURIComponent(participantId)}.journal`);
    return { fd: openSync(path, 'w+', 0o600), path };
  }
}
