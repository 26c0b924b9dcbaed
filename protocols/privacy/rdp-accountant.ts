/**
 * A Rényi-DP accountant for DP-SGD's Poisson-subsampled Gaussian steps, shaped like Opacus's
 * `RDPAccountant` (`step`, `get_epsilon`) and Flower's `RdpAccountant` (`compose`, `would_exceed`,
 * `state_dict`). RDP adds over steps and over events with different (q, σ) (Mironov 2017, Prop. 1);
 * the total converts to (ε, δ) with Balle et al. 2020 (see rdp-to-epsilon.ts).
 */
import { type PrivacySpent, type RdpConversion, rdpToEpsilon } from './rdp-to-epsilon.js';
import { subsampledGaussianRdp } from './subsampled-gaussian-rdp.js';

/** Opacus's default orders (`opacus/accountants/rdp.py`): 1.1, 1.2, …, 10.9, then 12..63. */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 52 }, (_, x) => 12 + x),
]);

/** Integer orders 2..256: no erfc series needed, about 1% looser than the default orders. */
export const INTEGER_RDP_ORDERS: readonly number[] = Object.freeze(Array.from({ length: 255 }, (_, x) => 2 + x));

/** One DP-SGD step (or a batch of identical ones): noise std = noiseMultiplier × clipping norm. */
export interface GaussianStep {
  noiseMultiplier: number;
  /** Poisson sampling rate q: each record joins the batch independently with this probability. */
  sampleRate: number;
}

export interface AccountantOptions {
  orders?: readonly number[];
  conversion?: RdpConversion;
}

/** What `toJSON` writes and `fromJSON` reads: the history of events, from which the RDP is recomputed. */
export interface AccountantState {
  orders: number[];
  conversion: RdpConversion;
  history: Array<GaussianStep & { steps: number }>;
}

export class RdpAccountant {
  readonly orders: readonly number[];
  readonly conversion: RdpConversion;
  private readonly history: Array<GaussianStep & { steps: number; perStep: Float64Array }> = [];

  constructor(options: AccountantOptions = {}) {
    this.orders = Object.freeze([...(options.orders ?? DEFAULT_RDP_ORDERS)]);
    if (this.orders.length === 0 || !this.orders.every((order) => order > 1)) throw new RangeError('RDP orders must be a non-empty list of numbers above 1');
    this.conversion = options.conversion ?? 'balle2020';
  }

  /** Records `steps` identical steps (Opacus's `step`, Flower's `compose(event, count)`). */
  step(event: GaussianStep, steps = 1): void {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
    if (steps === 0) return;
    const last = this.history.at(-1);
    if (last && last.noiseMultiplier === event.noiseMultiplier && last.sampleRate === event.sampleRate) last.steps += steps;
    else {
      const perStep = subsampledGaussianRdp(event.sampleRate, event.noiseMultiplier, this.orders);
      this.history.push({ noiseMultiplier: event.noiseMultiplier, sampleRate: event.sampleRate, steps, perStep });
    }
  }

  /** The RDP curve spent so far, one value per order: Σ over events of steps × per-step RDP. */
  rdpCurve(): Float64Array {
    // Recomputed from the merged history, so the same history always gives bit-identical ε however it was stepped.
    const total = new Float64Array(this.orders.length);
    for (const { steps, perStep } of this.history) perStep.forEach((value, index) => (total[index] = (total[index] as number) + steps * value));
    return total;
  }

  getPrivacySpent(delta: number): PrivacySpent {
    return rdpToEpsilon(this.orders, this.rdpCurve(), delta, this.conversion);
  }

  getEpsilon(delta: number): number {
    return this.getPrivacySpent(delta).epsilon;
  }

  /** Whether `steps` more of `event` would take ε at `delta` above `maxEpsilon` (gates the next round). */
  wouldExceed(event: GaussianStep, steps: number, maxEpsilon: number, delta: number): boolean {
    const trial = RdpAccountant.fromJSON(this.toJSON());
    trial.step(event, steps);
    return trial.getEpsilon(delta) > maxEpsilon;
  }

  toJSON(): AccountantState {
    return { orders: [...this.orders], conversion: this.conversion, history: this.history.map(({ noiseMultiplier, sampleRate, steps }) => ({ noiseMultiplier, sampleRate, steps })) };
  }

  static fromJSON(state: AccountantState): RdpAccountant {
    const accountant = new RdpAccountant({ orders: state.orders, conversion: state.conversion });
    for (const { steps, ...event } of state.history) accountant.step(event, steps);
    return accountant;
  }
}

export interface EpsilonQuery extends GaussianStep {
  steps: number;
  delta: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
}

/** ε after `steps` identical steps, at `delta`. */
export function computeEpsilon(query: EpsilonQuery): number {
  const accountant = new RdpAccountant(query);
  accountant.step(query, query.steps);
  return accountant.getEpsilon(query.delta);
}

export interface NoiseMultiplierQuery {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
  /** Bisection stops when the bracket is narrower than this (default 1e-4). */
  tolerance?: number;
}

/**
 * The smallest noise multiplier (to `tolerance`, rounded up) whose ε stays at or below the target,
 * by bisection: ε falls monotonically as σ grows. Like Opacus's `get_noise_multiplier`.
 */
export function noiseMultiplierFor(query: NoiseMultiplierQuery): number {
  const { targetEpsilon, tolerance = 1e-4 } = query;
  if (!(targetEpsilon > 0)) throw new RangeError(`target epsilon must be positive, got ${targetEpsilon}`);
  const epsilonAt = (noiseMultiplier: number) => computeEpsilon({ ...query, noiseMultiplier });
  let high = 1;
  while (epsilonAt(high) > targetEpsilon) {
    high *= 2;
    if (high > 1e6) throw new RangeError(`no noise multiplier up to 1e6 reaches epsilon ${targetEpsilon} at delta ${query.delta}`);
  }
  let low = 0;
  while (high - low > tolerance) {
    const middle = (low + high) / 2;
    if (epsilonAt(middle) > targetEpsilon) low = middle;
    else high = middle;
  }
  return high;
}
