import * as tf from '@tensorflow/tfjs';

/**
 * The model's positive-class probability for every row, computed batchSize rows at a time so a
 * large dataset never needs one huge input tensor.
 */
export function predictScores(
  model: tf.LayersModel,
  features: Float32Array,
  rowCount: number,
  width: number,
  batchSize = 4096,
): Float32Array {
  if (features.length !== rowCount * width) {
    throw new Error(`features hold ${features.length} values; ${rowCount} rows x ${width} columns need ${rowCount * width}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const scores = new Float32Array(rowCount);
  for (let start = 0; start < rowCount; start += batchSize) {
    const end = Math.min(rowCount, start + batchSize);
    const output = tf.tidy(() => {
      const batch = tf.tensor2d(features.subarray(start * width, end * width), [end - start, width]);
      const predicted = model.predict(batch);
      if (Array.isArray(predicted)) throw new Error('expected a model with a single output');
      return predicted;
    });
    try {
      scores.set(output.dataSync(), start);
    } finally {
      output.dispose();
    }
  }
  return scores;
}
