import { describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../../errors.js';
import { DecryptionBudget } from './decryption-budget.js';

describe('DecryptionBudget', () => {
  it('counts, refuses repeats and overflow atomically', () => {
    const budget = new DecryptionBudget(3);
    budget.spend(['a', 'b']);
    expect(budget.used).toBe(2);
    expect(() => budget.spend(['c', 'a'])).toThrow(KeyCustodyError);
    expect(() => budget.spend(['c', 'c'])).toThrow(/already/);
    expect(() => budget.spend(['c', 'd'])).toThrow(/budget/);
    expect(budget.used).toBe(2); // nothing recorded by the refused calls
    budget.spend(['c']);
    expect(budget.remaining).toBe(0);
    expect(() => new DecryptionBudget(0)).toThrow(RangeError);
  });
});
