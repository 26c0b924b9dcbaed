import { describe, expect, it } from 'vitest';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
import { assertJobWithinBudget, planDifferentialPrivacy } from './privacy-budget.js';
import { DEFAULT_PRIVACY_POLICY, privacyPolicySchema } from './privacy-policy.js';

function job(differentialPrivacy?: Record<string, unknown>, custody?: Record<string, unknown>): JobSpec {
  return jobSpecSchema.parse({
    jobId: 'dp',
    model: { kind: 'logistic-regression' },
    features: { numeric: ['x'], label: { column: 'y', positive: 1, negative: 0 } },
    training: { rounds: 20, localEpochs: 1, batchSize: 256, ...(differentialPrivacy ? { differentialPrivacy } : {}) },
    federation: { participants: ['a', 'b'], minParticipants: 2 },
    ...(custody ? { custody } : {}),
  });
}

describe('the ε a job costs a node', () => {
  it('comes from the node\'s own rows: q = batchSize / rows, rounds × ⌈epochs · rows / batch⌉ steps (the design note\'s bank vector)', () => {
    const plan = planDifferentialPrivacy(job({ noiseMultiplier: 1 }), DEFAULT_PRIVACY_POLICY, 10_260);
    expect(plan).toMatchObject({ mechanism: 'record-level', noiseMultiplier: 1, clipNorm: 1, sampleRate: 256 / 10_260, stepsPerRound: 41, delta: 1e-5 });
    expect(plan?.jobEpsilon).toBeCloseTo(4.9855, 3);
  });

  it('with targetEpsilon, each node picks the smallest z that keeps its whole job within the target', () => {
    const small = planDifferentialPrivacy(job({ targetEpsilon: 2.5 }), DEFAULT_PRIVACY_POLICY, 7_496);
    const large = planDifferentialPrivacy(job({ targetEpsilon: 2.5 }), DEFAULT_PRIVACY_POLICY, 20_000);
    expect(small?.jobEpsilon).toBeLessThanOrEqual(2.5);
    expect(small?.jobEpsilon).toBeGreaterThan(2.49);
    expect(small?.noiseMultiplier).toBeGreaterThan(large?.noiseMultiplier as number);
  });

  it('at the node\'s own δ when its policy sets one', () => {
    const policy = privacyPolicySchema.parse({ delta: 1e-6 });
    const plan = planDifferentialPrivacy(job({ noiseMultiplier: 1 }), policy, 10_260);
    expect(plan?.jobEpsilon).toBe(computeEpsilon({ noiseMultiplier: 1, sampleRate: 256 / 10_260, steps: 820, delta: 1e-6 }));
  });

  it('refuses a job over the node\'s budget, and a job without DP where the node requires it (maxEpsilon implies it)', () => {
    const tight = privacyPolicySchema.parse({ maxEpsilon: 4 });
    expect(() => assertJobWithinBudget(job({ noiseMultiplier: 1 }), tight, planDifferentialPrivacy(job({ noiseMultiplier: 1 }), tight, 10_260))).toThrow(
      /would cost ε 4\.98\d* at δ 0\.00001, above privacy\.maxEpsilon 4; refusing to take part/,
    );
    expect(() => assertJobWithinBudget(job({ noiseMultiplier: 1.5 }), tight, planDifferentialPrivacy(job({ noiseMultiplier: 1.5 }), tight, 10_260))).not.toThrow();
    expect(() => assertJobWithinBudget(job(), tight, undefined)).toThrow(/has no training\.differentialPrivacy.*\(maxEpsilon 4\)/);
    expect(() => assertJobWithinBudget(job(), privacyPolicySchema.parse({ requireDifferentialPrivacy: true }), undefined)).toThrow(/requires differential privacy/);
    expect(() => assertJobWithinBudget(job(), DEFAULT_PRIVACY_POLICY, undefined)).not.toThrow();
  });

  it('the job file takes exactly one of noiseMultiplier and targetEpsilon, and no fedProx beside DP', () => {
    expect(() => job({})).toThrow(/exactly one of noiseMultiplier and targetEpsilon/);
    expect(() => job({ noiseMultiplier: 1, targetEpsilon: 2 })).toThrow(/exactly one/);
    expect(() => job({ noiseMultiplier: 1, clipNorms: 1 })).toThrow(/clipNorms/);
    expect(() =>
      jobSpecSchema.parse({ ...job(), training: { rounds: 2, fedProx: { mu: 0.1 }, differentialPrivacy: { noiseMultiplier: 1 } } }),
    ).toThrow(/cannot be combined/);
  });

  it('distributed noise: one step per round at the node\'s q; ε without collusion at z, with every other participant colluding at z/√Q', () => {
    const plan = planDifferentialPrivacy(job({ mechanism: 'distributed', noiseMultiplier: 1 }), DEFAULT_PRIVACY_POLICY, 10_260);
    expect(plan).toMatchObject({ mechanism: 'distributed', noiseMultiplier: 1, sampleRate: 256 / 10_260, stepsPerRound: 1, noiseShares: 2 });
    expect(plan?.jobEpsilon).toBe(computeEpsilon({ noiseMultiplier: 1, sampleRate: 256 / 10_260, steps: 20, delta: 1e-5 }));
    expect(plan?.jobEpsilonIfOthersCollude).toBe(computeEpsilon({ noiseMultiplier: 1 / Math.SQRT2, sampleRate: 256 / 10_260, steps: 20, delta: 1e-5 }));
    expect(plan?.jobEpsilonIfOthersCollude).toBeGreaterThan(plan?.jobEpsilon as number);
    // The record-level default splits nothing.
    expect(planDifferentialPrivacy(job({ noiseMultiplier: 1 }), DEFAULT_PRIVACY_POLICY, 10_260)).toMatchObject({ noiseShares: 1 });
  });

  it('client-level DP-FedAvg: q = 1 and one step per round whatever the rows; the design note\'s q=1, z=5, T=20 figure', () => {
    const plan = planDifferentialPrivacy(job({ mechanism: 'client-level', noiseMultiplier: 5 }), DEFAULT_PRIVACY_POLICY, 100);
    expect(plan).toMatchObject({ mechanism: 'client-level', sampleRate: 1, stepsPerRound: 1, noiseShares: 2 });
    expect(plan?.jobEpsilon).toBeCloseTo(computeEpsilon({ noiseMultiplier: 5, sampleRate: 1, steps: 20, delta: 1e-5 }), 12);
    expect(plan?.jobEpsilon).toBeLessThan(4.2);
    const targeted = planDifferentialPrivacy(job({ mechanism: 'client-level', targetEpsilon: 8 }), DEFAULT_PRIVACY_POLICY, 100);
    expect(targeted?.jobEpsilon).toBeLessThanOrEqual(8);
    // Secret participation sampling amplifies: q = 0.1 costs far less than q = 1 at the same z.
    const sampled = planDifferentialPrivacy(job({ mechanism: 'client-level', noiseMultiplier: 5, clientSampleRate: 0.1 }), DEFAULT_PRIVACY_POLICY, 100);
    expect(sampled?.sampleRate).toBe(0.1);
    expect(sampled?.jobEpsilon).toBe(computeEpsilon({ noiseMultiplier: 5, sampleRate: 0.1, steps: 20, delta: 1e-5 }));
    expect(sampled?.jobEpsilon).toBeLessThan((plan?.jobEpsilon as number) / 2);
  });

  it('refuses the distributed mechanisms without threshold custody (a single key reads single updates)', () => {
    for (const mechanism of ['distributed', 'client-level']) {
      expect(() => planDifferentialPrivacy(job({ mechanism, noiseMultiplier: 1 }, { mode: 'single-key' }), DEFAULT_PRIVACY_POLICY, 10_260)).toThrow(/needs custody threshold .*use mechanism record-level/);
    }
    expect(() => job({ mechanism: 'local', noiseMultiplier: 1 })).toThrow(/mechanism/);
  });
});
