import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { initializeTfBackend } from './initialize-tf-backend.js';

function tfjsNodeIsInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('initializeTfBackend', () => {
  it('activates a backend and reports which one', async () => {
    const { backend } = await initializeTfBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    if (!tfjsNodeIsInstalled()) expect(backend).toBe('wasm');
  });

  it('is idempotent and quick the second time', async () => {
    const first = await initializeTfBackend();
    const started = performance.now();
    const second = await initializeTfBackend();
    expect(performance.now() - started).toBeLessThan(50);
    expect(second).toEqual(first);
  });

  it('computes on the selected backend without leaking tensors', async () => {
    await initializeTfBackend();
    const before = tf.memory().numTensors;
    const squared = tf.tidy(() => tf.square(tf.tensor1d([1, 2, 3])).dataSync().slice());
    expect(Array.from(squared)).toEqual([1, 4, 9]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
