import * as tf from '@tensorflow/tfjs';

/**
 * Per-example gradients of the binary cross-entropy for HEFL's models (a stack of dense layers
 * ending in one sigmoid unit; logistic regression is the one-layer case), in one batched pass.
 *
 * Backpropagation is written out instead of running tf.grad once per row: with δ_L = p − y (the
 * gradient of BCE through the sigmoid, per row) and δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ act'(z_l), row i's
 * kernel gradient is the outer product a_{l−1,i} ⊗ δ_{l,i} and its bias gradient δ_{l,i}
 * (Goodfellow, arXiv 1510.01799). For logistic regression this is the closed form (p_i − y_i)·[x_i, 1].
 * The outer products are formed batched (B×in×units) and returned as a B×P matrix in
 * `model.getWeights()` order, so clipping and summing can run in float64 outside tfjs.
 */
export interface PerExampleGradients {
  /** Row-major, count × parameterCount. */
  values: Float32Array;
  count: number;
  parameterCount: number;
}

type Activation = 'relu' | 'sigmoid' | 'tanh' | 'linear';

interface DenseParts {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  activation: Activation;
}

export function denseParts(model: tf.LayersModel): DenseParts[] {
  return model.layers.map((layer, index) => {
    const weights = layer.trainableWeights;
    const activation = (layer.getConfig() as { activation?: string }).activation;
    if (layer.getClassName() !== 'Dense' || weights.length !== 2 || !isActivation(activation)) {
      throw new Error(`DP-SGD supports dense layers with relu, sigmoid, tanh or linear activations; layer ${index} is ${layer.getClassName()} (${activation})`);
    }
    return { kernel: (weights[0] as tf.LayerVariable).read() as tf.Tensor2D, bias: (weights[1] as tf.LayerVariable).read() as tf.Tensor1D, activation };
  });
}

function isActivation(name: string | undefined): name is Activation {
  return name === 'relu' || name === 'sigmoid' || name === 'tanh' || name === 'linear';
}

/** Per-example gradients for the given rows of a row-major feature matrix. */
export function perExampleGradients(model: tf.LayersModel, features: Float32Array, labels: Float32Array, width: number, rows: ArrayLike<number>): PerExampleGradients {
  const layers = denseParts(model);
  const last = layers.at(-1);
  if (!last || last.activation !== 'sigmoid' || last.kernel.shape[1] !== 1) throw new Error('DP-SGD needs a model ending in one sigmoid unit');
  const count = rows.length;
  const parameterCount = layers.reduce((sum, { kernel }) => sum + kernel.size + (kernel.shape[1] as number), 0);
  if (count === 0) return { values: new Float32Array(0), count, parameterCount };
  const batch = new Float32Array(count * width);
  const batchLabels = new Float32Array(count);
  for (let i = 0; i < count; i += 1) {
    const row = rows[i] as number;
    batch.set(features.subarray(row * width, (row + 1) * width), i * width);
    batchLabels[i] = labels[row] as number;
  }
  const values = tf.tidy(() => {
    const inputs: tf.Tensor2D[] = [tf.tensor2d(batch, [count, width])];
    const outputs: tf.Tensor2D[] = [];
    for (const { kernel, bias, activation } of layers) {
      const z = tf.add(tf.matMul(inputs.at(-1) as tf.Tensor2D, kernel), bias) as tf.Tensor2D;
      const a = activate(z, activation);
      outputs.push(a);
      inputs.push(a);
    }
    let delta = tf.sub(outputs.at(-1) as tf.Tensor2D, tf.tensor2d(batchLabels, [count, 1])) as tf.Tensor2D;
    const parts: tf.Tensor2D[] = [];
    for (let l = layers.length - 1; l >= 0; l -= 1) {
      const { kernel } = layers[l] as DenseParts;
      const input = inputs[l] as tf.Tensor2D;
      const [inWidth, units] = kernel.shape as [number, number];
      const kernelGradients = tf.mul(tf.expandDims(input, 2), tf.expandDims(delta, 1)).reshape([count, inWidth * units]) as tf.Tensor2D;
      parts.unshift(kernelGradients, delta);
      if (l > 0) {
        const below = layers[l - 1] as DenseParts;
        delta = tf.mul(tf.matMul(delta, kernel, false, true), derivative(inputs[l] as tf.Tensor2D, below.activation)) as tf.Tensor2D;
      }
    }
    return tf.concat(parts, 1);
  });
  try {
    return { values: values.dataSync() as Float32Array, count, parameterCount };
  } finally {
    values.dispose();
  }
}

function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'sigmoid') return tf.sigmoid(z);
  if (activation === 'tanh') return tf.tanh(z);
  return z;
}

/** act'(z) written in terms of a = act(z). For relu, a > 0 ⇔ z > 0 (0 at the kink, as tfjs). */
function derivative(a: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  if (activation === 'relu') return tf.cast(tf.greater(a, 0), 'float32') as tf.Tensor2D;
  if (activation === 'sigmoid') return tf.mul(a, tf.sub(1, a)) as tf.Tensor2D;
  if (activation === 'tanh') return tf.sub(1, tf.square(a)) as tf.Tensor2D;
  return tf.onesLike(a);
}

/**
 * Clips each row of a per-example gradient matrix to L2 norm `clipNorm` and sums them, in float64
 * (norms of the float32 rows, so each clipped row provably has norm ≤ clipNorm up to 2^-50 relative).
 * Infinity disables clipping.
 */
export function clipAndSum(gradients: PerExampleGradients, clipNorm: number): Float64Array {
  const { values, count, parameterCount } = gradients;
  const sum = new Float64Array(parameterCount);
  for (let i = 0; i < count; i += 1) {
    const offset = i * parameterCount;
    let squares = 0;
    for (let j = 0; j < parameterCount; j += 1) squares += (values[offset + j] as number) ** 2;
    const norm = Math.sqrt(squares);
    const factor = norm > clipNorm ? clipNorm / norm : 1;
    for (let j = 0; j < parameterCount; j += 1) sum[j] = (sum[j] as number) + factor * (values[offset + j] as number);
  }
  return sum;
}
