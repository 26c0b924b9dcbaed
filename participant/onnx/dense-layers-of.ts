import type * as tf from '@tensorflow/tfjs';

export type DenseActivation = 'relu' | 'sigmoid' | 'tanh' | 'linear';

/** One dense layer's parameters: `kernel` is row-major inputs x units, as tfjs stores it. */
export interface DenseLayerWeights {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: DenseActivation;
}

const ACTIVATIONS: readonly string[] = ['relu', 'sigmoid', 'tanh', 'linear'];

/**
 * The weights of a model built by buildModel (dense layers only, one sigmoid output unit). Anything
 * else is refused rather than exported wrong.
 */
export function denseLayersOf(model: tf.LayersModel): DenseLayerWeights[] {
  const layers = model.layers.map((layer, index) => {
    const config = layer.getConfig();
    const activation = String(config.activation ?? 'linear');
    if (layer.getClassName() !== 'Dense' || !ACTIVATIONS.includes(activation) || config.useBias === false) {
      throw new Error(`layer ${index} (${layer.getClassName()}, activation ${activation}) is not a dense layer HEFL can export`);
    }
    // getWeights() hands out the layer's own variables: read them, never dispose them.
    const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
    const [inputs, units] = kernel.shape as [number, number];
    return { inputs, units, kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, activation: activation as DenseActivation };
  });
  const last = layers.at(-1);
  if (!last || last.units !== 1 || last.activation !== 'sigmoid') throw new Error('the model must end in one sigmoid unit');
  return layers;
}
