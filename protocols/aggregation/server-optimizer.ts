import type { ServerOptimizerSettings } from '../model/training-settings.js';

/**
 * What a server optimizer carries from round to round (float64, one value per model parameter):
 * every participant holds the same, saves it beside its global model and restores it on restart.
 */
export interface ServerOptimizerState {
  /** Training rounds applied with this state. */
  readonly step: number;
  /** m: the momentum (FedAvgM) or first moment (adaptive kinds). */
  readonly momentum: Float64Array;
  /** v: the second moment (adaptive kinds only). */
  readonly secondMoment: Float64Array | undefined;
}

export interface ServerStep {
  readonly weights: Float32Array;
  readonly state: ServerOptimizerState | undefined;
}

/** The pseudo-gradient of Reddi et al.: Δ = Σ n_i·Δ_i / Σ n_i, in float64. */
export function averageDelta(weightedSum: ArrayLike<number>, totalWeight: number): Float64Array {
  if (!Number.isFinite(totalWeight) || totalWeight <= 0) throw new Error(`total weight must be a positive number, got ${totalWeight}`);
  const average = new Float64Array(weightedSum.length);
  for (let index = 0; index < average.length; index++) average[index] = (weightedSum[index] as number) / totalWeight;
  return average;
}

/**
 * One server step (Reddi et al., ICLR 2021, Algorithm 2, and FedAvgM): the next global weights from
 * the current ones and the average delta, and the optimizer's next state. Pure: inputs are not changed.
 * `fedavg` is x + Δ with no state.
 */
export function serverOptimizerStep(settings: ServerOptimizerSettings, weights: Float32Array, delta: ArrayLike<number>, state: ServerOptimizerState | undefined): ServerStep {
  const length = weights.length;
  if (delta.length !== length) throw new Error(`the average delta has ${delta.length} values; the global model has ${length}`);
  if (state && (state.momentum.length !== length || (state.secondMoment && state.secondMoment.length !== length))) {
    throw new Error(`the server optimizer's state has ${state.momentum.length} values; the global model has ${length}`);
  }
  const next = new Float32Array(length);
  if (settings.kind === 'fedavg') {
    for (let index = 0; index < length; index++) next[index] = (weights[index] as number) + (delta[index] as number);
    return { weights: next, state: undefined };
  }
  const momentum = new Float64Array(length);
  if (settings.kind === 'fedavgm') {
    for (let index = 0; index < length; index++) {
      const m = settings.momentum * (state?.momentum[index] ?? 0) + (delta[index] as number);
      momentum[index] = m;
      next[index] = (weights[index] as number) + settings.learningRate * m;
    }
    return { weights: next, state: { step: (state?.step ?? 0) + 1, momentum, secondMoment: undefined } };
  }
  const { learningRate, beta1, beta2, tau } = settings;
  const secondMoment = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const d = delta[index] as number;
    const squared = d * d;
    const m = beta1 * (state?.momentum[index] ?? 0) + (1 - beta1) * d;
    // v_{-1} = τ² (Algorithm 2 asks v_{-1} ≥ τ²).
    const previous = state?.secondMoment?.[index] ?? tau * tau;
    const v =
      settings.kind === 'fedadagrad'
        ? previous + squared
        : settings.kind === 'fedadam'
          ? beta2 * previous + (1 - beta2) * squared
          : previous - (1 - beta2) * squared * Math.sign(previous - squared);
    momentum[index] = m;
    secondMoment[index] = v;
    next[index] = (weights[index] as number) + (learningRate * m) / (Math.sqrt(v) + tau);
  }
  return { weights: next, state: { step: (state?.step ?? 0) + 1, momentum, secondMoment } };
}
