import { CiphertextError, WireMessageError } from '../errors.js';

/**
 * Who contributed to a round, with what weight, and whose update is still streaming: the bookkeeping
 * every sum aggregator shares (encrypted, or plain under custody none), so both refuse the same things.
 */
export class ContributionRegistry {
  private readonly committed = new Map<string, number>();
  private readonly streaming = new Set<string>();

  get contributorCount(): number {
    return this.committed.size;
  }

  hasContribution(participantId: string): boolean {
    return this.committed.has(participantId);
  }

  /** A new update stream: refuses a second update, a concurrent stream and a weight that is no count. */
  open(participantId: string, weight: number): void {
    if (this.committed.has(participantId)) throw new WireMessageError(`${participantId} already contributed to this round`);
    if (this.streaming.has(participantId)) throw new WireMessageError(`${participantId} is already streaming an update`);
    if (!(weight > 0) || !Number.isFinite(weight)) throw new WireMessageError(`sample count must be a positive finite number, got ${weight}`);
    this.streaming.add(participantId);
  }

  /** The stream ended: its update counts (`weight`) or, aborted, leaves no trace. */
  close(participantId: string, committedWeight?: number): void {
    this.streaming.delete(participantId);
    if (committedWeight !== undefined) this.committed.set(participantId, committedWeight);
  }

  /** Total weight and sorted contributors; refuses while an update still streams or when none arrived. */
  totals(): { totalWeight: number; contributors: string[] } {
    if (this.streaming.size > 0) throw new Error(`cannot finalize while ${[...this.streaming].join(', ')} still stream`);
    if (this.committed.size === 0) throw new CiphertextError('no contribution to aggregate');
    let totalWeight = 0;
    for (const weight of this.committed.values()) totalWeight += weight;
    return { totalWeight, contributors: [...this.committed.keys()].sort() };
  }

  clear(): void {
    this.committed.clear();
    this.streaming.clear();
  }
}
