/**
 * One party's side of the PSI. Holds a fresh scalar for this job only, its ids' hash points (to
 * refuse ever sending one unblinded) and the private permutation of its list; everything it emits
 * passes assertBlindedEgress, everything it receives passes validateBlindedList.
 *
 *   using party = new PsiParty({ jobId, participantId, ids, settings, pool });
 *   send(await party.ownBlindedList());            // to the coordinator, for the ring
 *   send(await party.blindForPeer(received));       // each hop of another owner's list
 *   const { rowsInCommonOrder } = party.alignment(decodeRanks(bytes, party.listLength));
 */
import crypto from 'node:crypto';
import { ConfigError } from '../errors.js';
import { assertBlindedEgress, elementKeys, validateBlindedList } from './element-checks.js';
import { psiDst } from './hash-to-curve.js';
import { PsiError } from './psi-error.js';
import { PsiWorkerPool } from './psi-worker-pool.js';
import { rowsByRank } from './ranks.js';
import { prepareOwnIds, psiSettingsSchema, type PreparedIds, type PsiSettings } from './settings.js';
import { freshScalar } from './x25519-blinding.js';

export interface PsiPartyOptions {
  readonly jobId: string;
  readonly participantId: string;
  /** Raw ids, one per data row (normalised with settings.normalisation). */
  readonly ids: readonly string[];
  readonly settings: PsiSettings;
  /** Where hashing and blinding run; the caller owns (and closes) it. Default: the calling thread. */
  readonly pool?: PsiWorkerPool;
  /** Largest list accepted from a peer without padTo (default: 2^24 elements); with padTo, exactly padTo. */
  readonly maxPeerListLength?: number;
}

export interface PsiAlignment {
  readonly intersectionSize: number;
  /** rowsInCommonOrder[r]: this party's row index (into the raw ids) of common rank r. */
  readonly rowsInCommonOrder: Int32Array;
}

/** Uniform shuffle (Fisher–Yates) with crypto.randomInt. */
function secretPermutation(length: number): Int32Array {
  const order = Int32Array.from({ length }, (_, index) => index);
  for (let index = length - 1; index > 0; index -= 1) {
    const other = crypto.randomInt(index + 1);
    const held = order[index] as number;
    order[index] = order[other] as number;
    order[other] = held;
  }
  return order;
}

export class PsiParty implements Disposable {
  readonly jobId: string;
  readonly participantId: string;
  readonly prepared: PreparedIds;
  private readonly settings: PsiSettings;
  private readonly pool: PsiWorkerPool;
  private readonly maxPeerListLength: number;
  private readonly scalar: Uint8Array = freshScalar();
  private unblindedOwnPoints: Set<string> | undefined;
  /** slotRow[i]: the raw row at position i of the own list, −1 for padding. */
  private slotRow: Int32Array | undefined;
  private ownListStarted = false;
  private disposed = false;

  constructor(options: PsiPartyOptions) {
    this.jobId = options.jobId;
    this.participantId = options.participantId;
    this.settings = psiSettingsSchema.parse(options.settings);
    this.pool = options.pool ?? PsiWorkerPool.inThread();
    this.maxPeerListLength = options.maxPeerListLength ?? 2 ** 24;
    this.prepared = prepareOwnIds(options.ids, this.settings.normalisation);
    if (this.settings.padTo !== undefined && this.prepared.ids.length > this.settings.padTo) {
      throw new ConfigError(`${this.prepared.ids.length} ids exceed padTo ${this.settings.padTo}; raise padTo (a larger list would reveal the set size)`);
    }
  }

  /** Elements in this party's own list (ids plus padding). */
  get listLength(): number {
    return Math.max(this.prepared.ids.length, this.settings.padTo ?? 0);
  }

  /**
   * [a]·H(id) for every own id plus random padding, shuffled (32 bytes each). The shuffle hides row
   * order; only this party knows which position is which row. Call once.
   */
  async ownBlindedList(): Promise<Uint8Array> {
    this.assertUsable();
    // One list per job: a second one (fresh padding and order) would let the coordinator tell padding apart.
    if (this.ownListStarted) throw new PsiError('ownBlindedList was already computed for this job');
    this.ownListStarted = true;
    const realCount = this.prepared.ids.length;
    const { points, blinded } = await this.pool.hashAndBlind(this.prepared.ids, psiDst(this.jobId), this.scalar);
    this.assertUsable();
    this.unblindedOwnPoints = elementKeys(points);
    points.fill(0);
    const padding = await this.pool.randomElements(this.listLength - realCount);
    const order = secretPermutation(this.listLength);
    const list = new Uint8Array(this.listLength * 32);
    const slotRow = new Int32Array(this.listLength);
    order.forEach((source, position) => {
      const real = source < realCount;
      list.set(real ? blinded.subarray(source * 32, source * 32 + 32) : padding.subarray((source - realCount) * 32, (source - realCount) * 32 + 32), position * 32);
      slotRow[position] = real ? (this.prepared.rowIndex[source] as number) : -1;
    });
    assertBlindedEgress(list, { unblindedOwnPoints: this.unblindedOwnPoints, maxCount: this.listLength });
    this.slotRow = slotRow;
    return list;
  }

  /** A peer's list raised to this party's scalar, position preserving; validated before and after. */
  async blindForPeer(list: Uint8Array): Promise<Uint8Array> {
    this.assertUsable();
    if (!this.unblindedOwnPoints) throw new PsiError('compute ownBlindedList before blinding for peers (the egress guard needs the own hash points)');
    const count = validateBlindedList(list, this.settings.padTo ?? this.maxPeerListLength, 'list received for blinding');
    // With padTo every honest list has exactly padTo elements: any other length is not an honest peer's.
    if (this.settings.padTo !== undefined && count !== this.settings.padTo) throw new PsiError(`list received for blinding: ${count} elements, but padTo is ${this.settings.padTo}`);
    const blinded = await this.pool.blind(list, this.scalar);
    this.assertUsable();
    assertBlindedEgress(blinded, { unblindedOwnPoints: this.unblindedOwnPoints, maxCount: count, blindedFrom: list });
    return blinded;
  }

  /** Which own rows are common, in the common order; refuses ranks that cannot be an honest answer. */
  alignment(ranks: Int32Array): PsiAlignment {
    if (!this.slotRow) throw new PsiError('no own list was sent: nothing to align');
    const rowsInCommonOrder = rowsByRank(ranks, this.slotRow);
    return { intersectionSize: rowsInCommonOrder.length, rowsInCommonOrder };
  }

  /** Wipes the scalar; the party cannot blind afterwards. */
  [Symbol.dispose](): void {
    this.scalar.fill(0);
    this.unblindedOwnPoints?.clear();
    this.disposed = true;
  }

  private assertUsable(): void {
    if (this.disposed) throw new PsiError(`PSI party ${this.participantId} was disposed (its scalar is wiped)`);
  }
}
