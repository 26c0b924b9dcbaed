import { describe, expect, it } from 'vitest';
import { decodeOnnxModel, encodeOnnxModel, ONNX_TYPE, type OnnxModel } from './onnx-model.js';

const model: OnnxModel = {
  irVersion: 9,
  opsetImport: [{ domain: '', version: 19 }],
  producerName: 'hefl',
  producerVersion: '0.1.0',
  graph: {
    name: 'g',
    node: [{ name: 'n', opType: 'Sigmoid', input: ['x'], output: ['y'] }],
    initializer: [{ name: 'c', dims: [2], dataType: ONNX_TYPE.DOUBLE, doubleData: [1.5, -2] }],
    input: [{ name: 'x', type: { tensorType: { elemType: ONNX_TYPE.FLOAT, shape: { dim: [{ dimParam: 'rows' }, { dimValue: 1 }] } } } }],
    output: [{ name: 'y', type: { tensorType: { elemType: ONNX_TYPE.FLOAT, shape: { dim: [{ dimParam: 'rows' }, { dimValue: 1 }] } } } }],
  },
};

describe('ONNX ModelProto subset', () => {
  it('puts fields at the official onnx.proto numbers', () => {
    const bytes = encodeOnnxModel({ ...model, graph: { ...model.graph, node: [], initializer: [], input: [], output: [] } });
    // ir_version = 1 (varint 9), producer_name = 2, producer_version = 3, graph = 7, opset_import = 8.
    expect(Array.from(bytes.subarray(0, 2))).toEqual([(1 << 3) | 0, 9]);
    expect(bytes).toContain((2 << 3) | 2);
    const tags = new Set<number>();
    for (let offset = 0; offset < bytes.length; ) {
      const tag = bytes[offset] as number;
      tags.add(tag >> 3);
      const wire = tag & 7;
      offset += 1;
      if (wire === 0) offset += 1;
      else offset += 1 + (bytes[offset] as number);
    }
    expect([...tags].sort((a, b) => a - b)).toEqual([1, 2, 3, 7, 8]);
  });

  it('reads back what it wrote', () => {
    const decoded = decodeOnnxModel(encodeOnnxModel(model));
    expect(decoded.graph.node[0]).toMatchObject({ opType: 'Sigmoid', input: ['x'], output: ['y'] });
    expect(decoded.graph.initializer[0]).toMatchObject({ name: 'c', dims: [2], dataType: ONNX_TYPE.DOUBLE, doubleData: [1.5, -2] });
    expect(decoded.graph.input[0]?.type.tensorType.shape.dim).toEqual([{ dimParam: 'rows' }, { dimValue: 1 }]);
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 19 }]);
  });
});
