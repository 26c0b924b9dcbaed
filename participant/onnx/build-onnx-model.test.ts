import { describe, expect, it } from 'vitest';
import { ONNX_TYPE } from '../../proto/onnx-model.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';
import { buildOnnxModel, ONNX_OUTPUT } from './build-onnx-model.js';
import type { DenseLayerWeights } from './dense-layers-of.js';

const preprocessing: Preprocessing = {
  format: 'hefl-preprocessing/1',
  jobId: 'onnx',
  features: { numeric: ['age'], categorical: [{ name: 'tier', categories: ['1', '2'] }], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: [] },
  featureNames: ['age', 'tier=1', 'tier=2'],
  numericMeans: [40],
  numericStds: [0],
};
const logistic: DenseLayerWeights = { inputs: 3, units: 1, kernel: Float32Array.from([1, 2, 3]), bias: Float32Array.from([0.5]), activation: 'sigmoid' };

describe('buildOnnxModel', () => {
  it('takes each column raw under its own name and ends in "probability"', () => {
    const { graph, opsetImport } = buildOnnxModel([logistic], preprocessing, 'test');
    expect(opsetImport).toEqual([{ domain: '', version: 19 }]);
    expect(graph.input.map((input) => [input.name, input.type.tensorType.elemType])).toEqual([
      ['age', ONNX_TYPE.DOUBLE],
      ['tier', ONNX_TYPE.STRING],
    ]);
    expect(graph.output.map((output) => output.name)).toEqual([ONNX_OUTPUT]);
    expect(graph.node.map((node) => node.opType)).toEqual(['Concat', 'Sub', 'Div', 'Mul', 'Cast', 'Equal', 'Cast', 'Concat', 'MatMul', 'Add', 'Sigmoid']);
    expect(graph.node.at(-1)?.output).toEqual([ONNX_OUTPUT]);
    // std 0: divide by 1, then keep nothing.
    const constant = (name: string) => graph.initializer.find((tensor) => tensor.name === name);
    expect(constant('hefl/numeric_divisors')?.doubleData).toEqual([1]);
    expect(constant('hefl/numeric_keep')?.doubleData).toEqual([0]);
    expect(constant('hefl/categories/tier')?.stringData?.map((bytes) => new TextDecoder().decode(bytes))).toEqual(['1', '2']);
  });

  it('refuses weights that do not fit the preprocessing', () => {
    expect(() => buildOnnxModel([{ ...logistic, inputs: 4 }], preprocessing, 'test')).toThrow('the model takes 4 inputs but the preprocessing makes 3');
  });
});
