import { ONNX_TYPE, type OnnxDataType, type OnnxValueInfo } from '../../proto/onnx-model.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';
import { intAttribute, type OnnxGraphBuilder } from './onnx-graph-builder.js';

/** The batch dimension's name in every input and the output. */
export const ROWS_DIMENSION = 'rows';

function columnInput(name: string, elemType: OnnxDataType, docString: string): OnnxValueInfo {
  return { name, docString, type: { tensorType: { elemType, shape: { dim: [{ dimParam: ROWS_DIMENSION }, { dimValue: 1 }] } } } };
}

/**
 * Graph inputs, one per CSV column named like it ([rows, 1]: double for a numeric column, string
 * for a categorical one), and the nodes that turn them into the model input encodeFeatures makes:
 * standardized numerics in schema order, then one one-hot block per categorical column.
 *
 * Numerics are standardized in double and then cast to float, as encodeFeatures computes in
 * float64 and stores float32, so both paths give the same input bits. A column with std 0 is
 * multiplied by 0 after dividing by 1, which is exactly 0 as in encodeFeatures.
 *
 * A category matches by exact spelling (Equal on strings, opset 19): no trimming and no numeric
 * matching ("2.0" is not the category "2"), and an unknown value gives an all-zero block instead of
 * an error. Feed the cells as `hefl predict` would accept them.
 */
export function addPreprocessingNodes(builder: OnnxGraphBuilder, preprocessing: Preprocessing): { inputs: OnnxValueInfo[]; features: string } {
  const { numeric, categorical } = preprocessing.features;
  const inputs: OnnxValueInfo[] = [];
  const blocks: string[] = [];
  if (numeric.length > 0) {
    inputs.push(...numeric.map((name) => columnInput(name, ONNX_TYPE.DOUBLE, `numeric column "${name}" as in the CSV (standardized inside)`)));
    const stds = preprocessing.numericStds;
    const raw = builder.add('Concat', [...numeric], [intAttribute('axis', 1)]);
    const centered = builder.add('Sub', [raw, builder.doubles('hefl/numeric_means', [numeric.length], preprocessing.numericMeans)]);
    const divided = builder.add('Div', [centered, builder.doubles('hefl/numeric_divisors', [numeric.length], stds.map((std) => (std === 0 ? 1 : std)))]);
    const kept = builder.add('Mul', [divided, builder.doubles('hefl/numeric_keep', [numeric.length], stds.map((std) => (std === 0 ? 0 : 1)))]);
    blocks.push(builder.add('Cast', [kept], [intAttribute('to', ONNX_TYPE.FLOAT)]));
  }
  for (const [index, column] of categorical.entries()) {
    inputs.push(columnInput(column.name, ONNX_TYPE.STRING, `categorical column "${column.name}": one of ${JSON.stringify(column.categories)}`));
    // [rows, 1] == [categories] broadcasts to [rows, categories]: the one-hot block in declared order.
    const matches = builder.add('Equal', [column.name, builder.strings(`hefl/categories_${index}`, column.categories)]);
    blocks.push(builder.add('Cast', [matches], [intAttribute('to', ONNX_TYPE.FLOAT)]));
  }
  const features = blocks.length === 1 ? (blocks[0] as string) : builder.add('Concat', blocks, [intAttribute('axis', 1)]);
  return { inputs, features };
}
