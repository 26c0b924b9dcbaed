import { describe, expect, it } from 'vitest';
import { WireMessageError } from '../errors.js';
import { ContributionRegistry } from './contribution-registry.js';

describe('ContributionRegistry', () => {
  it('counts committed updates only, refuses a second update or stream, and totals sorted contributors', () => {
    const registry = new ContributionRegistry();
    registry.open('b', 30);
    expect(() => registry.open('b', 30)).toThrow(/already streaming/);
    expect(() => registry.totals()).toThrow(/still stream/);
    registry.close('b', 30);
    registry.open('a', 10);
    registry.close('a'); // aborted: leaves no trace
    expect(registry.hasContribution('a')).toBe(false);
    registry.open('a', 10);
    registry.close('a', 10);
    expect(() => registry.open('a', 10)).toThrow(/already contributed/);
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => registry.open('c', weight)).toThrow(WireMessageError);
    expect(registry.contributorCount).toBe(2);
    expect(registry.totals()).toEqual({ totalWeight: 40, contributors: ['a', 'b'] });
    registry.clear();
    expect(() => registry.totals()).toThrow(/no contribution/);
  });
});
