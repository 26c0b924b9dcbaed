import type { DecryptedChunk, FetchAggregateRequest, Parsed, RoundKind } from '../protocols/wire/federation-messages.js';

/**
 * The aggregates a custody published: encrypted for the nodes to fetch, and decrypted where this
 * coordinator saw the sum. Every round's statistics and training aggregates are kept (a node that
 * restarted without saved state catches up on them): the decrypted sums where there are any (a few
 * bytes per model parameter and round), else the ciphertexts (single-key custody); of the evaluation
 * aggregates, the latest.
 */
export class PublishedAggregates {
  private readonly encrypted = new Map<string, readonly Uint8Array[]>();
  private readonly decrypted = new Map<string, Float64Array>();
  /** The latest round whose aggregate was published (encrypted or, under custody none, plain): evaluations are for it. */
  lastRound: number | undefined;
  /** The decrypted sum published last, and who has fetched it (the job ends once every node has: coordinator.ts). */
  private lastDecrypted: { key: string; fetchedBy: Set<string> } | undefined;

  constructor(private readonly slotCount: number) {}

  publishEncrypted(kind: RoundKind, round: number, chunks: readonly Uint8Array[]): void {
    PublishedAggregates.keep(this.encrypted, kind, round, chunks);
  }

  publishDecrypted(kind: RoundKind, round: number, values: Float64Array): void {
    PublishedAggregates.keep(this.decrypted, kind, round, values);
    this.lastDecrypted = { key: `${round}:${kind}`, fetchedBy: new Set() };
    // Where the sum is published decrypted, a node catches up on that: earlier ciphertexts of the kind go.
    for (const key of [...this.encrypted.keys()]) if (key.endsWith(`:${kind}`) && Number(key.split(':')[0]) < round) this.encrypted.delete(key);
  }

  /** The encrypted aggregate a node asks for (the caller checked job and participant). */
  encryptedFor(request: FetchAggregateRequest): Parsed<readonly Uint8Array[]> {
    const chunks = this.encrypted.get(`${request.round}:${request.kind}`);
    if (!chunks) return { success: false, reason: `no ${request.kind} aggregate for round ${request.round} (latest: ${this.latestRound(this.encrypted, request.kind) ?? 'none'})` };
    return { success: true, data: chunks };
  }

  /** The decrypted aggregate of a round in slot-sized chunks (the caller checked job and participant). */
  decryptedFor(request: FetchAggregateRequest): Parsed<DecryptedChunk[]> {
    const { round } = request;
    const values = this.decrypted.get(`${round}:${request.kind}`);
    if (!values) return { success: false, reason: `no decrypted ${request.kind} aggregate for round ${round}` };
    if (this.lastDecrypted?.key === `${round}:${request.kind}`) this.lastDecrypted.fetchedBy.add(request.participantId);
    const chunks: DecryptedChunk[] = [];
    for (let start = 0, index = 0; start < values.length; start += this.slotCount, index += 1) {
      chunks.push({ round, chunkIndex: index, values: values.subarray(start, start + this.slotCount) });
    }
    return { success: true, data: chunks };
  }

  /** Whether each of `participants` has fetched the decrypted sum published last (true when none was published). */
  lastDecryptedFetchedBy(participants: readonly string[]): boolean {
    const last = this.lastDecrypted;
    return last === undefined || participants.every((id) => last.fetchedBy.has(id));
  }

  /** Statistics and training aggregates stay (catching up); an evaluation aggregate replaces the previous one. */
  private static keep<Value>(map: Map<string, Value>, kind: RoundKind, round: number, value: Value): void {
    if (kind === 'evaluation') for (const key of [...map.keys()]) if (key.endsWith(':evaluation')) map.delete(key);
    map.set(`${round}:${kind}`, value);
  }

  private latestRound(map: Map<string, unknown>, kind: RoundKind): number | undefined {
    const rounds = [...map.keys()].filter((key) => key.endsWith(`:${kind}`)).map((key) => Number(key.split(':')[0]));
    return rounds.length > 0 ? Math.max(...rounds) : undefined;
  }
}
