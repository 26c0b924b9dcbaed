import { describe, expect, it } from 'vitest';
import { PsiError } from './psi-error.js';
import { assertBlindedEgress, elementKeys, validateBlindedList } from './element-checks.js';
import { hashIdsToCurve, psiDst } from './hash-to-curve.js';
import { decodeRanks, encodeRanks, rowsByRank } from './ranks.js';
import { ringSchedule } from './ring.js';
import { blindElements, freshScalar, scalarKey } from './x25519-blinding.js';

const points = hashIdsToCurve(['a', 'b', 'c'], psiDst('job'));
const blinded = blindElements(scalarKey(freshScalar()), points);
const own = elementKeys(points);

function withElement(list: Uint8Array, index: number, value: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(list);
  copy.set(value, index * 32);
  return copy;
}

describe('egress guard', () => {
  it('lets a blinded list through', () => {
    expect(() => assertBlindedEgress(blinded, { unblindedOwnPoints: own, maxCount: 3, blindedFrom: points })).not.toThrow();
  });

  it('refuses an unblinded own hash point, naming its position', () => {
    const leaking = withElement(blinded, 2, points.subarray(0, 32));
    expect(() => assertBlindedEgress(leaking, { unblindedOwnPoints: own, maxCount: 3 })).toThrow(PsiError);
    expect(() => assertBlindedEgress(leaking, { unblindedOwnPoints: own, maxCount: 3 })).toThrow(/element 2 is the unblinded hash/);
  });

  it('refuses an element unchanged by the blinding step', () => {
    const input = Uint8Array.from(blinded);
    const output = withElement(blindElements(scalarKey(freshScalar()), input), 1, input.subarray(32, 64));
    expect(() => assertBlindedEgress(output, { unblindedOwnPoints: own, maxCount: 3, blindedFrom: input })).toThrow(/element 1 is unchanged/);
  });

  it('refuses non-canonical and low-order elements', () => {
    const p = Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex'); // u = p
    const topBit = Uint8Array.from(blinded.subarray(0, 32));
    topBit[31] = (topBit[31] as number) | 0x80;
    for (const bad of [p, topBit]) expect(() => assertBlindedEgress(withElement(blinded, 1, bad), { unblindedOwnPoints: own, maxCount: 3 })).toThrow(/element 1 is not canonical/);
    expect(() => assertBlindedEgress(withElement(blinded, 0, new Uint8Array(32)), { unblindedOwnPoints: own, maxCount: 3 })).toThrow(/element 0 is a low-order point/);
  });

  it('refuses more elements than the bound and partial elements', () => {
    expect(() => assertBlindedEgress(blinded, { unblindedOwnPoints: own, maxCount: 2 })).toThrow(/3 elements, more than the bound 2/);
    expect(() => assertBlindedEgress(blinded.subarray(0, 70), { unblindedOwnPoints: own, maxCount: 3 })).toThrow(/whole number/);
  });
});

describe('validateBlindedList (incoming)', () => {
  it('accepts a well-formed list and refuses tampering', () => {
    expect(validateBlindedList(blinded, 3)).toBe(3);
    expect(validateBlindedList(new Uint8Array(0), 0)).toBe(0);
    expect(() => validateBlindedList(withElement(blinded, 2, blinded.subarray(0, 32)), 3)).toThrow(/element 2 repeats/);
    expect(() => validateBlindedList(withElement(blinded, 1, new Uint8Array(32).fill(0xff)), 3)).toThrow(/element 1 is not canonical/);
    expect(() => validateBlindedList(blinded, 2)).toThrow(/bound 2/);
    expect(() => validateBlindedList(blinded.subarray(1), 3)).toThrow(/whole number/);
  });
});

describe('ranks', () => {
  it('round-trip as Int32 little-endian and refuse malformed bytes', () => {
    const ranks = Int32Array.from([2, -1, 0, 1]);
    const wire = encodeRanks(ranks);
    expect(Array.from(wire.subarray(0, 8))).toEqual([2, 0, 0, 0, 255, 255, 255, 255]);
    expect(Array.from(decodeRanks(wire, 4))).toEqual([2, -1, 0, 1]);
    expect(() => decodeRanks(wire, 5)).toThrow(/expected 5/);
    expect(() => decodeRanks(encodeRanks(Int32Array.from([0, -2])), 2)).toThrow(/position 1 has rank -2/);
    expect(() => decodeRanks(encodeRanks(Int32Array.from([0, 2])), 2)).toThrow(/position 1 has rank 2/);
  });

  it('map to rows and refuse anything but a partial permutation over real positions', () => {
    const slotRow = Int32Array.from([7, -1, 3, 5]);
    expect(Array.from(rowsByRank(Int32Array.from([1, -1, -1, 0]), slotRow))).toEqual([5, 7]);
    expect(() => rowsByRank(Int32Array.from([0, -1, 0, -1]), slotRow)).toThrow(/rank 0 is given twice/);
    expect(() => rowsByRank(Int32Array.from([0, -1, 2, -1]), slotRow)).toThrow(/rank 2, outside/);
    expect(() => rowsByRank(Int32Array.from([0, 1, -1, -1]), slotRow)).toThrow(/padding position 1/);
    expect(() => rowsByRank(Int32Array.from([0, -1, -1]), slotRow)).toThrow(/3 values for a list of 4/);
  });
});

describe('ringSchedule', () => {
  it('sends every list through every other party once, deterministically', () => {
    const routes = ringSchedule(['shop', 'bank', 'gov']);
    expect(routes).toEqual([
      { owner: 'bank', hops: ['gov', 'shop'] },
      { owner: 'gov', hops: ['shop', 'bank'] },
      { owner: 'shop', hops: ['bank', 'gov'] },
    ]);
    expect(ringSchedule(['gov', 'shop', 'bank'])).toEqual(routes);
  });

  it('never gives two owners the same set of scalars before the last hop', () => {
    const parties = ['a', 'b', 'c', 'd', 'e'];
    const routes = ringSchedule(parties);
    for (let hop = 1; hop < parties.length - 1; hop += 1) {
      const arcs = routes.map(({ owner, hops }) => [owner, ...hops.slice(0, hop)].sort().join(','));
      expect(new Set(arcs).size).toBe(parties.length);
    }
    for (const { owner, hops } of routes) expect([owner, ...hops].sort()).toEqual(parties);
  });

  it('refuses fewer than two, duplicate or empty participants', () => {
    expect(() => ringSchedule(['a'])).toThrow(/at least 2/);
    expect(() => ringSchedule(['a', 'b', 'a'])).toThrow(/listed twice/);
    expect(() => ringSchedule(['a', ''])).toThrow(/non-empty/);
  });
});
