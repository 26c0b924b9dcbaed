import { WireMessageError } from '../errors.js';
import { ContributionRegistry } from './contribution-registry.js';
import type { AggregateLayout, Contribution } from './encrypted-sum-aggregator.js';
import { decodePlaintextUpdateChunk } from './plaintext-update-chunk.js';

export interface PlaintextAggregate extends AggregateLayout {
  /** sum_i n_i * x_i, in the clear. */
  readonly values: Float64Array;
  readonly totalWeight: number;
  readonly contributors: readonly string[];
}

/**
 * Custody `none` (HE switched off, the benchmark baseline): the same streaming contract as
 * EncryptedSumAggregator over float32 chunks. An update in flight is held until its last chunk, then
 * added, so a broken stream is simply dropped (floating-point sums cannot be undone exactly).
 */
export class PlaintextSumAggregator implements Disposable {
  private readonly sum: Float64Array;
  private readonly registry = new ContributionRegistry();
  private readonly valuesPerChunk: number;

  constructor(
    readonly layout: AggregateLayout,
    valuesPerChunk: number,
  ) {
    if (layout.chunkCount !== Math.max(1, Math.ceil(layout.vectorLength / valuesPerChunk))) {
      throw new Error(`layout mismatch: ${layout.vectorLength} values in chunks of ${valuesPerChunk} are not ${layout.chunkCount} chunks`);
    }
    this.valuesPerChunk = valuesPerChunk;
    this.sum = new Float64Array(layout.vectorLength);
  }

  get contributorCount(): number {
    return this.registry.contributorCount;
  }

  hasContribution(participantId: string): boolean {
    return this.registry.hasContribution(participantId);
  }

  begin(participantId: string, weight: number): Contribution {
    this.registry.open(participantId, weight);
    const chunks: Float32Array[] = [];
    let open = true;
    const close = (committed: boolean): void => {
      open = false;
      this.registry.close(participantId, committed ? weight : undefined);
    };
    return {
      accept: (chunkIndex, bytes) => {
        if (!open) throw new WireMessageError(`${participantId}: update stream already closed`);
        if (chunkIndex !== chunks.length) throw new WireMessageError(`${participantId}: chunk ${chunkIndex} arrived, expected chunk ${chunks.length}`);
        if (chunkIndex >= this.layout.chunkCount) {
          throw new WireMessageError(`${participantId}: chunk ${chunkIndex} is beyond the ${this.layout.chunkCount} chunks of this round`);
        }
        const start = chunkIndex * this.valuesPerChunk;
        const expected = Math.min(this.valuesPerChunk, this.layout.vectorLength - start);
        chunks.push(decodePlaintextUpdateChunk(bytes, expected, `${participantId} chunk ${chunkIndex}`));
      },
      commit: () => {
        if (!open) throw new WireMessageError(`${participantId}: update stream already closed`);
        if (chunks.length !== this.layout.chunkCount) {
          throw new WireMessageError(`${participantId}: update ended after ${chunks.length} of ${this.layout.chunkCount} chunks`);
        }
        chunks.forEach((values, chunkIndex) => {
          const start = chunkIndex * this.valuesPerChunk;
          for (let index = 0; index < values.length; index += 1) this.sum[start + index] = (this.sum[start + index] as number) + (values[index] as number);
        });
        close(true);
      },
      abort: () => {
        if (!open) return;
        chunks.length = 0;
        close(false);
      },
    };
  }

  /** The sum of every committed contribution. Refuses while an update is still streaming. */
  finalize(): PlaintextAggregate {
    const { totalWeight, contributors } = this.registry.totals();
    return { ...this.layout, values: Float64Array.from(this.sum), totalWeight, contributors };
  }

  dispose(): void {
    this.sum.fill(0);
    this.registry.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
