import { describe, expect, it } from 'vitest';
import { serverOptimizerStep } from '../protocols/aggregation/server-optimizer.js';
import { restoreServerOptimizer, savedServerOptimizer } from './next-global-model.js';
import { participantStateSchema } from './participant-state.js';

const settings = { kind: 'fedyogi', learningRate: 0.05, beta1: 0.9, beta2: 0.99, tau: 1e-3 } as const;
const deltas = [
  [0.013, -0.2, 1e-9],
  [-0.011, 0.07, 3e-4],
  [0.002, 0.5, -0.1],
];

describe('the server optimizer state in the saved participant state', () => {
  it('a node restored from its saved state continues bit for bit like one that never stopped', () => {
    const first = serverOptimizerStep(settings, new Float32Array([0.5, -1, 2]), deltas[0] as number[], undefined);
    const second = serverOptimizerStep(settings, first.weights, deltas[1] as number[], first.state);
    // Through the saved file's JSON and its schema, as after a restart.
    const saved = participantStateSchema.shape.serverOptimizer.parse(JSON.parse(JSON.stringify(savedServerOptimizer(second.state).serverOptimizer)));
    const restored = restoreServerOptimizer({ serverOptimizer: saved }, 3, 'state.json');
    expect(restored).toEqual(second.state);
    const uninterrupted = serverOptimizerStep(settings, second.weights, deltas[2] as number[], second.state);
    const resumed = serverOptimizerStep(settings, second.weights, deltas[2] as number[], restored);
    expect(resumed.weights).toEqual(uninterrupted.weights);
    expect(resumed.state).toEqual(uninterrupted.state);
  });

  it('plain FedAvg saves nothing; a state for another model size is refused', () => {
    expect(savedServerOptimizer(undefined)).toEqual({});
    expect(restoreServerOptimizer({}, 3, 'state.json')).toBeUndefined();
    const step = serverOptimizerStep(settings, new Float32Array(2), [0.1, 0.2], undefined);
    expect(() => restoreServerOptimizer(savedServerOptimizer(step.state), 3, 'state.json')).toThrow(/2 values, the job's model 3/);
  });
});
