import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * ONNX's ModelProto as plain objects, for the fields proto/onnx-subset.proto keeps (camelCase, as
 * protobufjs names them). Writing ONNX needs no onnx package: protobufjs encodes these against the
 * subset, whose field numbers are the official schema's.
 */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: OnnxDataType;
  floatData?: number[];
  doubleData?: number[];
  int64Data?: number[];
  stringData?: Uint8Array[];
}

export interface OnnxAttribute {
  name: string;
  type: 'INT' | 'FLOAT' | 'STRING' | 'INTS';
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute?: OnnxAttribute[];
  domain?: string;
}

export interface OnnxValueInfo {
  name: string;
  docString?: string;
  type: { tensorType: { elemType: OnnxDataType; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
}

export interface OnnxGraph {
  name: string;
  docString?: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
  metadataProps?: { key: string; value: string }[];
}

/** TensorProto.DataType values (onnx.proto). */
export const ONNX_TYPE = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type OnnxDataType = (typeof ONNX_TYPE)[keyof typeof ONNX_TYPE];

let modelProto: protobuf.Type | undefined;

function modelType(): protobuf.Type {
  modelProto ??= protobuf.loadSync(fileURLToPath(new URL('./onnx-subset.proto', import.meta.url))).lookupType('onnx.ModelProto');
  return modelProto;
}

/** The .onnx file bytes of a model; throws when the object does not fit the schema. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = modelType();
  const message = type.fromObject(model);
  const problem = type.verify(message);
  if (problem) throw new Error(`ONNX model does not fit onnx.proto: ${problem}`);
  return type.encode(message).finish();
}

/** Reads .onnx bytes back (fields of the subset only), for checks and tests. */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const type = modelType();
  return type.toObject(type.decode(bytes), { enums: String, longs: Number, defaults: false }) as OnnxModel;
}
