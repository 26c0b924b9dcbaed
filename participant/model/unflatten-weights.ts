import * as tf from '@tensorflow/tfjs';
import { modelShapes } from './model-shapes.js';

/** Writes a flat weight vector (in `model.getWeights()` order) into the model's variables. */
export function setFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  const { shapes, sizes, totalLength } = modelShapes(model);
  if (flat.length !== totalLength) {
    throw new Error(`flat weight vector has ${flat.length} values; this model expects ${totalLength}`);
  }
  tf.tidy(() => {
    let offset = 0;
    const tensors = shapes.map((shape, index) => {
      const size = sizes[index] ?? 0;
      // slice, not subarray: the cpu backend keeps the array it is given, and a view would let the
      // caller's later writes to `flat` change the model.
      const tensor = tf.tensor(flat.slice(offset, offset + size), shape, 'float32');
      offset += size;
      return tensor;
    });
    // The variables take a reference on the new values, so tidy may release its own handles.
    model.setWeights(tensors);
  });
}
