import type * as tf from '@tensorflow/tfjs';
import { modelShapes } from './model-shapes.js';
import { createSeededRandom as seededRandom } from '../../protocols/model/seeded-random.js';

/**
 * The round-0 global weights for a model, as a flat vector in `getWeights()` order: Glorot-uniform
 * kernels and zero biases, drawn from HEFL's own seeded PRNG so every process on every platform
 * derives the same bytes from the job seed without exchanging them.
 */
export function initialWeights(model: tf.LayersModel, seed: number): Float32Array {
  const { shapes, totalLength } = modelShapes(model);
  const random = seededRandom(seed);
  const flat = new Float32Array(totalLength);
  let offset = 0;
  for (const shape of shapes) {
    if (shape.length === 1) {
      offset += shape[0] ?? 0; // bias: already zero
      continue;
    }
    const [fanIn, fanOut] = shape;
    if (shape.length !== 2 || fanIn === undefined || fanOut === undefined) {
      throw new Error(`initialWeights supports dense kernels and biases only, got a weight of shape [${shape.join(', ')}]`);
    }
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const end = offset + fanIn * fanOut;
    for (let index = offset; index < end; index++) flat[index] = (2 * random() - 1) * limit;
    offset = end;
  }
  return flat;
}
