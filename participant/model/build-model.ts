import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../protocols/model/model-spec.js';

/**
 * Builds the uncompiled Keras-style model a job describes: logistic regression is a single sigmoid
 * unit; 'sequential' stacks the hidden dense layers and ends in one sigmoid unit for the binary label.
 *
 * Layers start at zeros rather than tfjs's random initializers: real starting weights always come
 * from initialWeights (seeded, platform-independent) or the global model, and zeros keep building
 * free of tfjs's global RNG.
 */
export function buildModel(spec: ModelSpec, inputWidth: number): tf.Sequential {
  if (!Number.isInteger(inputWidth) || inputWidth < 1) {
    throw new Error(`model input width must be a positive integer, got ${inputWidth}`);
  }
  const hidden = spec.kind === 'sequential' ? spec.hiddenLayers : [];
  const model = tf.sequential();
  for (const [index, layer] of hidden.entries()) {
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros',
        ...(index === 0 ? { inputShape: [inputWidth] } : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: 'zeros',
      biasInitializer: 'zeros',
      ...(hidden.length === 0 ? { inputShape: [inputWidth] } : {}),
    }),
  );
  return model;
}
