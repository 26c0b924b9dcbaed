import type { DecryptedChunk, FetchAggregateRequest, Parsed, RoundKind } from '../protocols/wire/federation-messages.js';

/**
 * The latest aggregate of each kind a custody published (a training round also has an evaluation
 * aggregate): encrypted for the nodes to fetch, and decrypted where this coordinator saw the sum.
 */
export class PublishedAggregates {
  private readonly encrypted = new Map<RoundKind, { round: number; chunks: readonly Uint8Array[] }>();
  private readonly decrypted = new Map<RoundKind, { round: number; values: Float64Array }>();
  /** The latest round whose aggregate was published (encrypted or, under custody none, plain): evaluations are for it. */
  lastRound: number | undefined;

  constructor(private readonly slotCount: number) {}

  publishEncrypted(kind: RoundKind, round: number, chunks: readonly Uint8Array[]): void {
    this.encrypted.set(kind, { round, chunks });
  }

  publishDecrypted(kind: RoundKind, round: number, values: Float64Array): void {
    this.decrypted.set(kind, { round, values });
  }

  /** The encrypted aggregate a node asks for (the caller checked job and participant). */
  encryptedFor(request: FetchAggregateRequest): Parsed<readonly Uint8Array[]> {
    const latest = this.encrypted.get(request.kind);
    if (!latest || latest.round !== request.round) {
      return { success: false, reason: `no ${request.kind} aggregate for round ${request.round} (latest: ${latest?.round ?? 'none'})` };
    }
    return { success: true, data: latest.chunks };
  }

  /** The decrypted aggregate of a round in slot-sized chunks (the caller checked job and participant). */
  decryptedFor(request: FetchAggregateRequest): Parsed<DecryptedChunk[]> {
    const latest = this.decrypted.get(request.kind);
    if (!latest || latest.round !== request.round) {
      return { success: false, reason: `no decrypted ${request.kind} aggregate for round ${request.round}` };
    }
    const { values, round } = latest;
    const chunks: DecryptedChunk[] = [];
    for (let start = 0, index = 0; start < values.length; start += this.slotCount, index += 1) {
      chunks.push({ round, chunkIndex: index, values: values.subarray(start, start + this.slotCount) });
    }
    return { success: true, data: chunks };
  }
}
