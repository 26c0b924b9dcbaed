import type * as tf from '@tensorflow/tfjs';
import { modelShapes } from './model-shapes.js';

/** Copies all of a model's weights into one new vector, in `model.getWeights()` order. */
export function flattenWeights(model: tf.LayersModel): Float32Array {
  const { totalLength } = modelShapes(model);
  const flat = new Float32Array(totalLength);
  let offset = 0;
  // getWeights() hands back the variables' own tensors, not copies: read them, never dispose them.
  for (const weight of model.getWeights()) {
    const values = weight.dataSync();
    flat.set(values, offset);
    offset += values.length;
  }
  return flat;
}
