import { describe, expect, it } from 'vitest';
import { roundsWithoutImprovement, shouldStopEarly } from './early-stopping.js';

const training = (heldOutAuc: number | null) => ({ kind: 'training' as const, heldOutAuc });

describe('early stopping on the federated AUC', () => {
  it('counts training rounds since the best AUC, skipping rounds without one and the statistics round', () => {
    expect(roundsWithoutImprovement([])).toBe(0);
    expect(roundsWithoutImprovement([{ kind: 'statistics', heldOutAuc: null }, training(0.7)])).toBe(0);
    expect(roundsWithoutImprovement([training(0.7), training(0.7), training(0.69)])).toBe(2);
    expect(roundsWithoutImprovement([training(0.7), training(0.65), training(0.71), training(null), training(0.7)])).toBe(1);
    expect(roundsWithoutImprovement([training(null), training(null), training(null)])).toBe(0);
  });

  it('stops once the AUC has not improved for `patience` rounds; never without a patience', () => {
    const rounds = [training(0.7), training(0.69), training(0.68)];
    expect(shouldStopEarly(rounds, 2)).toBe(true);
    expect(shouldStopEarly(rounds, 3)).toBe(false);
    expect(shouldStopEarly(rounds, undefined)).toBe(false);
  });
});
