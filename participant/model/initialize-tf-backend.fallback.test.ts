import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';

// Point the wasm binaries at a folder that does not exist, so the wasm backend cannot start.
// This file runs in its own worker (the project's per-file isolation), so the cpu backend it
// leaves behind does not reach other test files.
vi.mock('node:module', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:module')>();
  return {
    ...original,
    createRequire: () => ({ resolve: () => '/nonexistent-hefl-wasm/dist/index.js' }),
  };
});

describe('initializeTfBackend without usable wasm binaries', () => {
  it('falls back to cpu and says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { initializeTfBackend } = await import('./initialize-tf-backend.js');
    const result = await initializeTfBackend();
    expect(result).toEqual({ backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    // tfjs's own warning keeps the reason visible (why prod mode stays off).
    expect(warn.mock.calls.flat().join(' ')).toMatch(/Initialization of backend wasm failed/);
    const before = tf.memory().numTensors;
    expect(Array.from(tf.tidy(() => tf.square(tf.tensor1d([3])).dataSync().slice()))).toEqual([9]);
    expect(tf.memory().numTensors).toBe(before);
    warn.mockRestore();
    log.mockRestore();
    error.mockRestore();
  });
});
