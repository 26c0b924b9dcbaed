import { describe, expect, it } from 'vitest';
import { averageDelta, serverOptimizerStep } from './server-optimizer.js';

// Hand-computed references: one parameter at x = 1, average deltas 0.2 then −0.1.
const x = new Float32Array([1]);
const adaptive = { learningRate: 0.1, beta1: 0.9, beta2: 0.99, tau: 0.01 };

describe('averageDelta', () => {
  it('divides the decrypted sum by the total sample count, refusing a non-positive one', () => {
    expect(Array.from(averageDelta([30, -6], 60))).toEqual([0.5, -0.1]);
    expect(() => averageDelta([1], 0)).toThrow(/total weight/);
  });
});

describe('serverOptimizerStep', () => {
  it('fedavg is x + Δ without state', () => {
    const step = serverOptimizerStep({ kind: 'fedavg' }, new Float32Array([1, 2]), [0.5, -0.25], undefined);
    expect(Array.from(step.weights)).toEqual([1.5, 1.75]);
    expect(step.state).toBeUndefined();
  });

  it('fedavgm: m = β·m + Δ, x = x + η·m; η = 1 and β = 0 is fedavg', () => {
    const settings = { kind: 'fedavgm', learningRate: 0.5, momentum: 0.9 } as const;
    const first = serverOptimizerStep(settings, x, [0.2], undefined);
    expect(first.state?.momentum[0]).toBeCloseTo(0.2, 15);
    expect(first.weights[0]).toBeCloseTo(1.1, 6);
    const second = serverOptimizerStep(settings, first.weights, [-0.1], first.state);
    // m = 0.9·0.2 − 0.1 = 0.08; x = 1.1 + 0.5·0.08 = 1.14
    expect(second.state?.momentum[0]).toBeCloseTo(0.08, 15);
    expect(second.weights[0]).toBeCloseTo(1.14, 6);
    expect(second.state?.step).toBe(2);
    const plain = serverOptimizerStep({ kind: 'fedavgm', learningRate: 1, momentum: 0 }, new Float32Array([1, 2]), [0.5, -0.25], undefined);
    expect(Array.from(plain.weights)).toEqual([1.5, 1.75]);
  });

  it('fedadam: m = β1·m + (1−β1)Δ, v = β2·v + (1−β2)Δ² from v = τ², x = x + η·m/(√v + τ)', () => {
    const settings = { kind: 'fedadam', ...adaptive } as const;
    const first = serverOptimizerStep(settings, x, [0.2], undefined);
    // m = 0.02; v = 0.99·1e-4 + 0.01·0.04 = 4.99e-4; x = 1 + 0.1·0.02/(√4.99e-4 + 0.01)
    expect(first.state?.momentum[0]).toBeCloseTo(0.02, 15);
    expect(first.state?.secondMoment?.[0]).toBeCloseTo(4.99e-4, 15);
    expect(first.weights[0]).toBeCloseTo(1 + 0.002 / (Math.sqrt(4.99e-4) + 0.01), 6);
    const second = serverOptimizerStep(settings, first.weights, [-0.1], first.state);
    // m = 0.9·0.02 − 0.01 = 0.008; v = 0.99·4.99e-4 + 0.01·0.01 = 5.9401e-4
    expect(second.state?.momentum[0]).toBeCloseTo(0.008, 15);
    expect(second.state?.secondMoment?.[0]).toBeCloseTo(5.9401e-4, 15);
    expect(second.weights[0]).toBeCloseTo((first.weights[0] as number) + 0.0008 / (Math.sqrt(5.9401e-4) + 0.01), 6);
  });

  it('fedyogi: v = v − (1−β2)Δ²·sign(v − Δ²)', () => {
    const settings = { kind: 'fedyogi', ...adaptive } as const;
    const first = serverOptimizerStep(settings, x, [0.2], undefined);
    // v0 = 1e-4 < Δ² = 0.04: v = 1e-4 + 0.01·0.04 = 5e-4
    expect(first.state?.secondMoment?.[0]).toBeCloseTo(5e-4, 15);
    expect(first.weights[0]).toBeCloseTo(1 + 0.002 / (Math.sqrt(5e-4) + 0.01), 6);
    const second = serverOptimizerStep(settings, first.weights, [-0.01], first.state);
    // v = 5e-4 > Δ² = 1e-4: v = 5e-4 − 0.01·1e-4 = 4.99e-4; m = 0.018 − 0.001 = 0.017
    expect(second.state?.secondMoment?.[0]).toBeCloseTo(4.99e-4, 15);
    expect(second.weights[0]).toBeCloseTo((first.weights[0] as number) + 0.0017 / (Math.sqrt(4.99e-4) + 0.01), 6);
  });

  it('fedadagrad: v = v + Δ²', () => {
    const first = serverOptimizerStep({ kind: 'fedadagrad', ...adaptive }, x, [0.2], undefined);
    expect(first.state?.secondMoment?.[0]).toBeCloseTo(1e-4 + 0.04, 15);
  });

  it('leaves its inputs alone and refuses mismatched lengths', () => {
    const settings = { kind: 'fedadam', ...adaptive } as const;
    const first = serverOptimizerStep(settings, x, [0.2], undefined);
    const momentum = first.state?.momentum.slice();
    serverOptimizerStep(settings, first.weights, [0.3], first.state);
    expect(first.state?.momentum).toEqual(momentum);
    expect(x[0]).toBe(1);
    expect(() => serverOptimizerStep(settings, x, [0.1, 0.2], undefined)).toThrow(/2 values/);
    expect(() => serverOptimizerStep(settings, new Float32Array(2), [0.1, 0.2], first.state)).toThrow(/state has 1 values/);
  });
});
