import { encodeOnnxModel, ONNX_TYPE, type OnnxModel } from '../../proto/onnx-model.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';
import type { DenseLayerWeights } from './dense-layers-of.js';
import { addDenseNodes } from './onnx-dense-nodes.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { addPreprocessingNodes, ROWS_DIMENSION } from './onnx-preprocessing-nodes.js';

export const ONNX_OUTPUT = 'probability';
/** Opset 19: the first where Equal takes strings (the in-graph one-hot). IR version 9 goes with it. */
const OPSET = 19;
const IR_VERSION = 9;

/** The whole scoring path as one ONNX graph: raw CSV columns in, positive-class probability out. */
export function buildOnnxModel(layers: readonly DenseLayerWeights[], preprocessing: Preprocessing, producerVersion: string): OnnxModel {
  const width = preprocessing.featureNames.length;
  if (layers[0]?.inputs !== width) throw new Error(`the model takes ${layers[0]?.inputs} inputs but the preprocessing makes ${width}`);
  const builder = new OnnxGraphBuilder();
  const { inputs, features } = addPreprocessingNodes(builder, preprocessing);
  addDenseNodes(builder, features, layers, ONNX_OUTPUT);
  const kind = layers.length === 1 ? 'logistic regression' : `dense network (${layers.length - 1} hidden layers)`;
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'hefl',
    producerVersion,
    docString: `HEFL job ${preprocessing.jobId}: ${kind}, standardization and one-hot encoding inside the graph.`,
    graph: {
      name: preprocessing.jobId,
      node: builder.nodes,
      initializer: builder.initializers,
      input: inputs,
      output: [
        {
          name: ONNX_OUTPUT,
          docString: `probability that ${preprocessing.features.label.column} is ${JSON.stringify(preprocessing.features.label.positive)}`,
          type: { tensorType: { elemType: ONNX_TYPE.FLOAT, shape: { dim: [{ dimParam: ROWS_DIMENSION }, { dimValue: 1 }] } } },
        },
      ],
    },
    metadataProps: [
      { key: 'hefl.jobId', value: preprocessing.jobId },
      { key: 'hefl.featureNames', value: JSON.stringify(preprocessing.featureNames) },
    ],
  };
}

export function onnxModelBytes(layers: readonly DenseLayerWeights[], preprocessing: Preprocessing, producerVersion: string): Uint8Array {
  return encodeOnnxModel(buildOnnxModel(layers, preprocessing, producerVersion));
}
