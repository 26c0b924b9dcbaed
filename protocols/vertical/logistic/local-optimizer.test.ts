import { describe, expect, it } from 'vitest';
import { applyGradient, initialOptimizerState, type OptimizerState, optimizerStateSchema, regularisedGradient } from './local-optimizer.js';

type Run = { weights: Float64Array; state: OptimizerState };

const weights = Float64Array.from([1, -2, 0.5]);
const sums = Float64Array.from([4, -8, 2]);

describe('applyGradient', () => {
  it('SGD: w − η(sums/|b| + λw), with no λ on the intercept', () => {
    const { weights: next } = applyGradient(weights, initialOptimizerState('sgd', 3), sums, 4, { optimizer: 'sgd', learningRate: 0.1, l2: 0.5, interceptIndex: 2 });
    expect([...next]).toEqual([1 - 0.1 * (1 + 0.5), -2 - 0.1 * (-2 - 1), 0.5 - 0.1 * 0.5].map((value) => expect.closeTo(value, 12)));
    expect([...regularisedGradient(weights, sums, 4, 0.5, 2)]).toEqual([1.5, -3, 0.5]);
  });

  it('Adam: the first step moves each weight by η against the gradient sign', () => {
    const { weights: next, state } = applyGradient(weights, initialOptimizerState('adam', 3), sums, 4, { optimizer: 'adam', learningRate: 0.01, l2: 0 });
    expect([...next]).toEqual([0.99, -1.99, 0.49].map((value) => expect.closeTo(value, 6)));
    expect(state.step).toBe(1);
  });

  it('momentum: the velocity accumulates (v ← 0.9v + g)', () => {
    const settings = { optimizer: 'momentum' as const, learningRate: 0.1, l2: 0 };
    const one = applyGradient(weights, initialOptimizerState('momentum', 3), sums, 4, settings);
    const two = applyGradient(one.weights, one.state, sums, 4, settings);
    expect(two.state.first).toEqual([1.9, -3.8, 0.95].map((value) => expect.closeTo(value, 12)));
  });

  it('state survives JSON: stopping and restarting gives the same weights as running through', () => {
    const settings = { optimizer: 'adam' as const, learningRate: 0.05, l2: 0.01 };
    let run: Run = { weights, state: initialOptimizerState('adam', 3) };
    const steps = [sums, Float64Array.from([1, 1, -3]), Float64Array.from([-2, 0.5, 0])];
    const through = steps.reduce((current, step) => applyGradient(current.weights, current.state, step, 4, settings), run);
    run = applyGradient(run.weights, run.state, steps[0] as Float64Array, 4, settings);
    const saved = JSON.parse(JSON.stringify({ weights: [...run.weights], state: run.state })) as { weights: number[]; state: unknown };
    let restarted: Run = { weights: Float64Array.from(saved.weights), state: optimizerStateSchema.parse(saved.state) };
    for (const step of steps.slice(1)) restarted = applyGradient(restarted.weights, restarted.state, step, 4, settings);
    expect(restarted.weights).toEqual(through.weights);
    expect(restarted.state).toEqual(through.state);
  });

  it('refuses a state of another optimizer', () => {
    expect(() => applyGradient(weights, initialOptimizerState('sgd', 3), sums, 4, { optimizer: 'adam', learningRate: 0.1, l2: 0 })).toThrow('state is for sgd');
  });
});
