import { describe, expect, it } from 'vitest';
import { WireMessageError } from '../errors.js';
import { PlaintextSumAggregator } from './plaintext-sum-aggregator.js';
import { encodePlaintextUpdateChunk } from './plaintext-update-chunk.js';

const CHUNK = 4;

function chunksOf(values: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < values.length; start += CHUNK) chunks.push(encodePlaintextUpdateChunk(values, start, Math.min(values.length, start + CHUNK)));
  return chunks;
}

describe('PlaintextSumAggregator (custody none)', () => {
  it('sums committed float32 updates and drops a broken stream', () => {
    using aggregator = new PlaintextSumAggregator({ vectorLength: 6, chunkCount: 2 }, CHUNK);
    const a = [1, 2, 3, 4, 5, 6];
    const b = [0.5, -1, 0, 2, 0.25, -6];
    for (const [id, values, weight] of [['a', a, 10], ['b', b, 30]] as const) {
      const contribution = aggregator.begin(id, weight);
      chunksOf([...values]).forEach((bytes, index) => contribution.accept(index, bytes));
      contribution.commit();
    }
    const broken = aggregator.begin('c', 5);
    broken.accept(0, chunksOf([100, 100, 100, 100, 100, 100])[0] as Uint8Array);
    broken.abort();
    const { values, totalWeight, contributors } = aggregator.finalize();
    expect([...values]).toEqual([1.5, 1, 3, 6, 5.25, 0]);
    expect(totalWeight).toBe(40);
    expect(contributors).toEqual(['a', 'b']);
  });

  it('refuses wrong sizes, non-finite values, out-of-order chunks and a second update', () => {
    using aggregator = new PlaintextSumAggregator({ vectorLength: 6, chunkCount: 2 }, CHUNK);
    const contribution = aggregator.begin('a', 1);
    expect(() => contribution.accept(1, new Uint8Array(8))).toThrow(/expected chunk 0/);
    expect(() => contribution.accept(0, new Uint8Array(12))).toThrow(/expected 4 float32 values/);
    expect(() => contribution.accept(0, new Uint8Array(new Float32Array([1, Number.NaN, 0, 0]).buffer))).toThrow(WireMessageError);
    chunksOf([1, 2, 3, 4, 5, 6]).forEach((bytes, index) => contribution.accept(index, bytes));
    contribution.commit();
    expect(() => aggregator.begin('a', 1)).toThrow(/already contributed/);
    expect(() => aggregator.begin('b', 0)).toThrow(/positive/);
  });
});
