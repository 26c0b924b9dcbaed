import { ONNX_TYPE, type OnnxAttribute, type OnnxNode, type OnnxTensor } from '../../proto/onnx-model.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Collects an ONNX graph's nodes and constant tensors in order (a node may only use values made
 * before it). Names of internal values start with "hefl/" so they can never collide with an input,
 * which is named after its CSV column.
 */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private nextId = 0;

  /** Adds a node with one output and returns that output's name. */
  add(opType: string, inputs: string[], attributes: OnnxAttribute[] = [], outputName?: string): string {
    const output = outputName ?? `hefl/${opType.toLowerCase()}_${this.nextId}`;
    this.nodes.push({ name: `hefl/node_${this.nextId}_${opType}`, opType, input: inputs, output: [output], ...(attributes.length > 0 ? { attribute: attributes } : {}) });
    this.nextId += 1;
    return output;
  }

  /** A name already added is reused as is: shared constants ("hefl/one", axes) are made once. */
  floats(name: string, dims: number[], values: ArrayLike<number>): string {
    if (this.initializers.some((tensor) => tensor.name === name)) return name;
    return this.constant({ name, dims, dataType: ONNX_TYPE.FLOAT, floatData: Array.from(values) });
  }

  doubles(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.constant({ name, dims, dataType: ONNX_TYPE.DOUBLE, doubleData: Array.from(values) });
  }

  int64s(name: string, values: readonly number[]): string {
    if (this.initializers.some((tensor) => tensor.name === name)) return name;
    return this.constant({ name, dims: [values.length], dataType: ONNX_TYPE.INT64, int64Data: [...values] });
  }

  strings(name: string, values: readonly string[]): string {
    return this.constant({ name, dims: [values.length], dataType: ONNX_TYPE.STRING, stringData: values.map(utf8) });
  }

  private constant(tensor: OnnxTensor): string {
    this.initializers.push(tensor);
    return tensor.name;
  }
}

export const intAttribute = (name: string, value: number): OnnxAttribute => ({ name, type: 'INT', i: value });
