import { describe, expect, it } from 'vitest';
import { intersectBlindedLists } from './intersect.js';
import { randomElements } from './x25519-blinding.js';

const element = (list: Uint8Array, index: number): Uint8Array => list.subarray(index * 32, index * 32 + 32);

function listOf(...elements: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(elements));
}

describe('intersectBlindedLists (coordinator)', () => {
  const pool = randomElements(8);
  const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map((index) => element(pool, index)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];

  it('ranks the elements every list holds by their bytes, −1 elsewhere', () => {
    const ranks = intersectBlindedLists(
      new Map([
        ['x', listOf(a, b, c, d)],
        ['y', listOf(d, e, b, a)],
        ['z', listOf(f, a, d)],
      ]),
    );
    const common = [a, d].sort((left, right) => Buffer.compare(left, right));
    const rankOf = (item: Uint8Array): number => common.findIndex((candidate) => Buffer.compare(candidate, item) === 0);
    expect(Array.from(ranks.get('x') ?? [])).toEqual([rankOf(a), -1, -1, rankOf(d)]);
    expect(Array.from(ranks.get('y') ?? [])).toEqual([rankOf(d), -1, -1, rankOf(a)]);
    expect(Array.from(ranks.get('z') ?? [])).toEqual([-1, rankOf(a), rankOf(d)]);
  });

  it('finds nothing common between independent random (padding) lists', () => {
    const ranks = intersectBlindedLists(
      new Map([
        ['x', randomElements(200)],
        ['y', randomElements(200)],
      ]),
    );
    for (const list of ranks.values()) expect(list.every((rank) => rank === -1)).toBe(true);
  });

  it('refuses a single list, a repeated element and over-long lists', () => {
    expect(() => intersectBlindedLists(new Map([['x', listOf(a)]]))).toThrow(/at least 2/);
    expect(() => intersectBlindedLists(new Map([['x', listOf(a, a)], ['y', listOf(a)]]))).toThrow(/fully blinded list of x: element 1 repeats/);
    expect(() => intersectBlindedLists(new Map([['x', listOf(a, b)], ['y', listOf(a)]]), 1)).toThrow(/bound 1/);
  });
});
