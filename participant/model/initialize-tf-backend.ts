import * as tf from '@tensorflow/tfjs';
// Importing the package registers the 'wasm' backend factory; it initializes on setBackend('wasm').
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface TfBackend {
  backend: string;
}

// Held in a variable so tsc does not try to resolve the optional, usually absent, package.
const tfjsNodeSpecifier: string = '@tensorflow/tfjs-node';

let initialization: Promise<TfBackend> | undefined;

/**
 * Picks the fastest TensorFlow.js backend this process can run: tfjs-node's native 'tensorflow'
 * backend when that optional package loads, else WebAssembly, else plain JS 'cpu'. Every caller
 * shares one initialization, so calling it again is free and returns the same answer.
 *
 * Prod mode is deliberately left off: its only effect in tfjs 4.22 is muting warnings, and the
 * warning it would mute is the stack trace tfjs logs when a backend fails to initialize, which is
 * exactly what an operator needs when a node silently ends up on the slow 'cpu' backend.
 */
export function initializeTfBackend(): Promise<TfBackend> {
  initialization ??= selectBackend().catch((error: unknown) => {
    // Let a later call retry instead of caching the failure forever.
    initialization = undefined;
    throw error;
  });
  return initialization;
}

async function selectBackend(): Promise<TfBackend> {
  if ((await loadTfjsNode()) && tf.findBackendFactory('tensorflow') !== null && (await tf.setBackend('tensorflow'))) {
    return { backend: tf.getBackend() };
  }
  pointWasmAtPackageFiles();
  if (await tf.setBackend('wasm')) return { backend: tf.getBackend() };
  if (await tf.setBackend('cpu')) return { backend: tf.getBackend() };
  throw new Error('no TensorFlow.js backend could be initialized (tried tensorflow, wasm, cpu)');
}

async function loadTfjsNode(): Promise<boolean> {
  try {
    await import(tfjsNodeSpecifier);
    return true;
  } catch {
    // Optional dependency: absent or without its native library is the normal case.
    return false;
  }
}

function pointWasmAtPackageFiles(): void {
  // The package's main entry lives in dist/, next to the .wasm binaries; an explicit path keeps
  // loading working when this code is bundled and __dirname no longer points there.
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  try {
    setWasmPaths(path.dirname(entry) + path.sep);
  } catch {
    // Throws only when the wasm backend was already initialized by someone else, which is fine.
  }
}
