import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { DenseActivation, DenseLayerWeights } from './dense-layers-of.js';

const ACTIVATION_OPS: Record<DenseActivation, string | undefined> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', linear: undefined };

/**
 * The dense layers as MatMul + Add + activation; the last node's output gets `outputName`.
 * tfjs stores a kernel as inputs x units, which is exactly MatMul's right-hand side.
 */
export function addDenseNodes(builder: OnnxGraphBuilder, features: string, layers: readonly DenseLayerWeights[], outputName: string): string {
  let value = features;
  for (const [index, layer] of layers.entries()) {
    const last = index === layers.length - 1;
    const kernel = builder.floats(`hefl/dense_${index}/kernel`, [layer.inputs, layer.units], layer.kernel);
    const bias = builder.floats(`hefl/dense_${index}/bias`, [layer.units], layer.bias);
    const op = ACTIVATION_OPS[layer.activation];
    const product = builder.add('MatMul', [value, kernel]);
    value = builder.add('Add', [product, bias], [], last && op === undefined ? outputName : undefined);
    if (op !== undefined) value = builder.add(op, [value], [], last ? outputName : undefined);
  }
  return value;
}
