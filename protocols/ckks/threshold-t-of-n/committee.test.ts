import { describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../../errors.js';
import { assertCommittee, committeeDigest, inverse, lagrangeCoefficients, shamirPoints } from './committee.js';

const roster = ['p3', 'p1', 'p5', 'p2', 'p4'];
const rules = { roster, threshold: 3 };

describe('t-of-N committees', () => {
  it('points are 1 + the index in the sorted roster; duplicates and tiny rosters are refused', () => {
    expect([...shamirPoints(roster)]).toEqual([['p1', 1], ['p2', 2], ['p3', 3], ['p4', 4], ['p5', 5]]);
    expect(() => shamirPoints(['a', 'b', 'a'])).toThrow(/names a twice/);
    expect(() => shamirPoints(['a'])).toThrow(KeyCustodyError);
  });

  it('accepts exactly t distinct roster ids (returned sorted) and refuses |T| ≠ t, duplicates, strangers, a non-member self', () => {
    expect(assertCommittee(['p4', 'p1', 'p2'], rules)).toEqual(['p1', 'p2', 'p4']);
    expect(assertCommittee(['p4', 'p1', 'p2'], { ...rules, self: 'p4' })).toEqual(['p1', 'p2', 'p4']);
    expect(() => assertCommittee(['p1', 'p2'], rules)).toThrow(/2 members; exactly t = 3/);
    expect(() => assertCommittee(['p1', 'p2', 'p3', 'p4'], rules)).toThrow(/4 members; exactly t = 3/);
    expect(() => assertCommittee(['p1', 'p1', 'p2'], rules)).toThrow(/names p1 twice/);
    expect(() => assertCommittee(['p1', 'p2', 'mallory'], rules)).toThrow(/mallory are not on the roster/);
    expect(() => assertCommittee(['p1', 'p2', 'p3'], { ...rules, self: 'p5' })).toThrow(/p5 is asked to decrypt for a committee it is not part of/);
    for (const threshold of [1, 6, 0, 2.5]) expect(() => assertCommittee(['p1', 'p2'], { roster, threshold })).toThrow(/threshold .* is outside 2\.\.5/);
  });

  it('committee digests ignore order and tell committees apart', () => {
    expect(committeeDigest(['p2', 'p1', 'p3'])).toBe(committeeDigest(['p1', 'p2', 'p3']));
    expect(committeeDigest(['p1', 'p2', 'p4'])).not.toBe(committeeDigest(['p1', 'p2', 'p3']));
  });

  it('Lagrange coefficients interpolate at 0: Σ λ_j f(α_j) = f(0) for a degree t−1 polynomial, modulo each prime', () => {
    const primes = [36028797017571329n, 1152921504606830593n, 97n];
    const points = [2, 3, 5];
    for (const prime of primes) {
      const f = (x: bigint) => (123456789n + 987654321n * x + 55555n * x * x) % prime;
      const lambdas = points.map((point) => lagrangeCoefficients(point, points, [prime])[0] as bigint);
      expect(points.reduce((sum, point, index) => (sum + (lambdas[index] as bigint) * f(BigInt(point))) % prime, 0n)).toBe(f(0n));
    }
    expect(inverse(3n, 97n) * 3n % 97n).toBe(1n);
    expect(() => lagrangeCoefficients(4, points, primes)).toThrow(/not in the committee/);
    expect(() => lagrangeCoefficients(2, [2, 2, 3], primes)).toThrow(/not distinct/);
  });
});
