import { describe, expect, it } from 'vitest';
import { computeEpsilon, DEFAULT_RDP_ORDERS, INTEGER_RDP_ORDERS, noiseMultiplierFor, RdpAccountant } from './rdp-accountant.js';
import { rdpToEpsilon } from './rdp-to-epsilon.js';
import { subsampledGaussianRdp } from './subsampled-gaussian-rdp.js';

const BANK_Q = 256 / 10_260;

describe('RdpAccountant against the design note\'s test vectors (§3.2, Opacus formulas)', () => {
  it('matches Opacus\'s doctest: two events composed, orders 2..32, ε = 0.33634 at α = 23', () => {
    const accountant = new RdpAccountant({ orders: Array.from({ length: 31 }, (_, index) => index + 2) });
    accountant.step({ sampleRate: 1e-5, noiseMultiplier: 1 }, 10);
    accountant.step({ sampleRate: 1e-4, noiseMultiplier: 3 }, 4);
    const spent = accountant.getPrivacySpent(1e-5);
    expect(Math.abs(spent.epsilon - 0.33634)).toBeLessThan(1e-4);
    expect(spent.order).toBe(23);
  });

  it.each([
    { q: 1, z: 1, steps: 20, orders: INTEGER_RDP_ORDERS, epsilon: 30.12663, order: 2 },
    { q: 1, z: 2, steps: 20, orders: INTEGER_RDP_ORDERS, epsilon: 12.30169, order: 3 },
    { q: 1, z: 5, steps: 20, orders: INTEGER_RDP_ORDERS, epsilon: 4.1619, order: 6 },
    { q: BANK_Q, z: 1, steps: 820, orders: INTEGER_RDP_ORDERS, epsilon: 5.0439, order: 5 },
    { q: BANK_Q, z: 1, steps: 820, orders: DEFAULT_RDP_ORDERS, epsilon: 4.9855, order: 4.6 },
    // Listed to 3 decimals in the note (2.597), so compared to 5e-4; the q = 1 rows above carry the
    // closed form 20·α/(2z²) converted at α = 2 and 3, to 5 decimals (the note lists 30.127 and 12.302).
    { q: 256 / 60_000, z: 1.1, steps: 14_062, orders: DEFAULT_RDP_ORDERS, epsilon: 2.597, order: 8.1, tolerance: 5e-4 },
  ])('q=$q z=$z T=$steps, $orders.length orders: ε = $epsilon at α = $order', ({ q, z, steps, orders, epsilon, order, tolerance = 1e-4 }) => {
    const accountant = new RdpAccountant({ orders });
    accountant.step({ sampleRate: q, noiseMultiplier: z }, steps);
    const spent = accountant.getPrivacySpent(1e-5);
    expect(Math.abs(spent.epsilon - epsilon)).toBeLessThan(tolerance);
    expect(spent.order).toBeCloseTo(order, 10);
  });

  it.each([
    [0.8, 8.24, 8.29],
    [1.0, 4.99, 5.04],
    [1.5, 2.48, 2.48],
  ])('bank table: z=%d gives %d with default orders, %d with integer orders', (z, withDefault, withInteger) => {
    const query = { sampleRate: BANK_Q, noiseMultiplier: z, steps: 820, delta: 1e-5 };
    expect(computeEpsilon(query)).toBeCloseTo(withDefault, 2);
    expect(computeEpsilon({ ...query, orders: INTEGER_RDP_ORDERS })).toBeCloseTo(withInteger, 2);
  });
});

describe('subsampled Gaussian RDP', () => {
  it('equals the Gaussian mechanism\'s closed form α/(2σ²) at q = 1, integer and fractional α', () => {
    const orders = [1.5, 2, 2.7, 8, 32.5, 64];
    for (const sigma of [0.5, 1, 3.3]) {
      const rdp = subsampledGaussianRdp(1, sigma, orders);
      orders.forEach((alpha, index) => expect(rdp[index]).toBeCloseTo(alpha / (2 * sigma * sigma), 12));
    }
  });

  it('is 0 at q = 0 and ∞ at σ = 0', () => {
    expect([...subsampledGaussianRdp(0, 1, [2, 3.5])]).toEqual([0, 0]);
    expect([...subsampledGaussianRdp(0.1, 0, [2, 3.5])]).toEqual([Infinity, Infinity]);
    expect(computeEpsilon({ sampleRate: 0.1, noiseMultiplier: 0, steps: 1, delta: 1e-5 })).toBe(Infinity);
  });

  it('agrees between the integer formula and the fractional series at neighbouring orders', () => {
    // RDP is continuous in α: the fractional series at α = 4 ± 1e-6 must bracket the integer sum at 4.
    const [below, exact, above] = subsampledGaussianRdp(0.03, 1.2, [4 - 1e-6, 4, 4 + 1e-6]) as unknown as number[];
    expect(Math.abs((below as number) - (exact as number))).toBeLessThan(1e-5);
    expect(Math.abs((above as number) - (exact as number))).toBeLessThan(1e-5);
  });

  it('grows with the order, the sampling rate, and shrinks with the noise', () => {
    const orders = DEFAULT_RDP_ORDERS;
    const base = subsampledGaussianRdp(0.02, 1, orders);
    for (let index = 1; index < orders.length; index += 1) expect(base[index]).toBeGreaterThanOrEqual(base[index - 1] as number);
    const moreSampling = subsampledGaussianRdp(0.05, 1, orders);
    const moreNoise = subsampledGaussianRdp(0.02, 1.5, orders);
    orders.forEach((_, index) => {
      expect(moreSampling[index]).toBeGreaterThan(base[index] as number);
      expect(moreNoise[index]).toBeLessThan(base[index] as number);
    });
  });
});

describe('ε, its monotonicity, and the inverse', () => {
  const query = { sampleRate: 0.02, noiseMultiplier: 1.1, steps: 500, delta: 1e-5 };

  it('rises with steps and q, falls with σ and δ', () => {
    const epsilon = computeEpsilon(query);
    expect(computeEpsilon({ ...query, steps: 1000 })).toBeGreaterThan(epsilon);
    expect(computeEpsilon({ ...query, sampleRate: 0.04 })).toBeGreaterThan(epsilon);
    expect(computeEpsilon({ ...query, noiseMultiplier: 1.3 })).toBeLessThan(epsilon);
    expect(computeEpsilon({ ...query, delta: 1e-3 })).toBeLessThan(epsilon);
  });

  it('the classic conversion is never tighter than Balle et al. 2020', () => {
    const orders = DEFAULT_RDP_ORDERS;
    const rdp = subsampledGaussianRdp(0.02, 1.1, orders).map((value) => value * 500);
    expect(rdpToEpsilon(orders, rdp, 1e-5, 'classic').epsilon).toBeGreaterThan(rdpToEpsilon(orders, rdp, 1e-5).epsilon);
  });

  it('noiseMultiplierFor inverts computeEpsilon to the tolerance, on the safe side', () => {
    for (const targetEpsilon of [1, 3, 8]) {
      const sigma = noiseMultiplierFor({ targetEpsilon, delta: 1e-5, sampleRate: BANK_Q, steps: 820 });
      const at = (noiseMultiplier: number) => computeEpsilon({ noiseMultiplier, sampleRate: BANK_Q, steps: 820, delta: 1e-5 });
      expect(at(sigma)).toBeLessThanOrEqual(targetEpsilon);
      expect(at(sigma - 2e-4)).toBeGreaterThan(targetEpsilon);
    }
    expect(() => noiseMultiplierFor({ targetEpsilon: 0, delta: 1e-5, sampleRate: 0.1, steps: 10 })).toThrow(RangeError);
  });
});

describe('RdpAccountant bookkeeping', () => {
  it('composes step by step exactly as in one call, gates with wouldExceed, and round-trips its state', () => {
    const event = { sampleRate: BANK_Q, noiseMultiplier: 1 };
    const stepwise = new RdpAccountant();
    for (let round = 0; round < 20; round += 1) stepwise.step(event, 41);
    expect(stepwise.getEpsilon(1e-5)).toBeCloseTo(computeEpsilon({ ...event, steps: 820, delta: 1e-5 }), 9);
    expect(stepwise.toJSON().history).toEqual([{ ...event, steps: 820 }]);

    const restored = RdpAccountant.fromJSON(JSON.parse(JSON.stringify(stepwise.toJSON())));
    expect(restored.getEpsilon(1e-5)).toBe(stepwise.getEpsilon(1e-5));
    expect(restored.wouldExceed(event, 41, 5.0, 1e-5)).toBe(true);
    expect(restored.wouldExceed(event, 41, 6, 1e-5)).toBe(false);
    expect(restored.getEpsilon(1e-5)).toBe(stepwise.getEpsilon(1e-5)); // wouldExceed spends nothing
  });

  it('mixes events with different (q, σ) by adding their RDP', () => {
    const accountant = new RdpAccountant({ orders: INTEGER_RDP_ORDERS });
    accountant.step({ sampleRate: 0.01, noiseMultiplier: 2 }, 100);
    accountant.step({ sampleRate: 0.05, noiseMultiplier: 1 }, 30);
    const expected = subsampledGaussianRdp(0.01, 2, INTEGER_RDP_ORDERS).map(
      (value, index) => 100 * value + 30 * (subsampledGaussianRdp(0.05, 1, INTEGER_RDP_ORDERS)[index] as number),
    );
    accountant.rdpCurve().forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 10));
    expect(() => accountant.step({ sampleRate: 1.5, noiseMultiplier: 1 })).toThrow(RangeError);
    expect(() => new RdpAccountant({ orders: [1, 2] })).toThrow(RangeError);
  });
});
