import { hasMissingCategory, indicatorColumns, missingPolicyOf } from '../../protocols/data/missing-values.js';
import { ONNX_TYPE, type OnnxDataType, type OnnxValueInfo } from '../../proto/onnx-model.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';
import { intAttribute, type OnnxGraphBuilder } from './onnx-graph-builder.js';

/** The batch dimension's name in every input and the output. */
export const ROWS_DIMENSION = 'rows';

function columnInput(name: string, elemType: OnnxDataType, docString: string): OnnxValueInfo {
  return { name, docString, type: { tensorType: { elemType, shape: { dim: [{ dimParam: ROWS_DIMENSION }, { dimValue: 1 }] } } } };
}

/**
 * Numeric inputs → standardized float block. Standardized in double, then cast to float, as
 * encodeFeatures computes in float64 and stores float32, so both give the same input bits. A column
 * with std 0 is divided by 1 and multiplied by 0: exactly 0, as in encodeFeatures. A NaN cell of a
 * column with a missing-value policy becomes its fill (the federated mean, or the constant).
 */
function addNumericBlock(builder: OnnxGraphBuilder, preprocessing: Preprocessing): string {
  const { features, numericMeans: means, numericStds: stds } = preprocessing;
  const width = features.numeric.length;
  let values = builder.add('Concat', [...features.numeric], [intAttribute('axis', 1)]);
  const fills = features.numeric.map((name, index) => {
    const fill = missingPolicyOf(features, name)?.fill;
    return fill === 'mean' ? (means[index] as number) : typeof fill === 'number' ? fill : Number.NaN;
  });
  if (fills.some((fill) => !Number.isNaN(fill))) {
    values = builder.add('Where', [builder.add('IsNaN', [values]), builder.doubles('hefl/numeric_fills', [width], fills), values]);
  }
  const centered = builder.add('Sub', [values, builder.doubles('hefl/numeric_means', [width], means)]);
  const divided = builder.add('Div', [centered, builder.doubles('hefl/numeric_divisors', [width], stds.map((std) => (std === 0 ? 1 : std)))]);
  const kept = builder.add('Mul', [divided, builder.doubles('hefl/numeric_keep', [width], stds.map((std) => (std === 0 ? 0 : 1)))]);
  return builder.add('Cast', [kept], [intAttribute('to', ONNX_TYPE.FLOAT)]);
}

/** [rows, 1] float: 1 where a categorical cell is one of the job's missing markers (exact spelling). */
function addMarkerMatch(builder: OnnxGraphBuilder, preprocessing: Preprocessing, column: string): string {
  const markers = builder.strings(`hefl/missing_markers/${column}`, preprocessing.features.missing?.markers ?? ['']);
  const matches = builder.add('Cast', [builder.add('Equal', [column, markers])], [intAttribute('to', ONNX_TYPE.FLOAT)]);
  return builder.add('ReduceMax', [matches, builder.int64s('hefl/axis_1', [1])]);
}

/**
 * A categorical input → its one-hot block in declared order: [rows, 1] == [categories] broadcasts to
 * [rows, categories]. A missing cell (a marker, for a column with a policy) gets the fill category's
 * slot or its own (missing) slot after the declared ones.
 */
function addCategoricalBlock(builder: OnnxGraphBuilder, preprocessing: Preprocessing, index: number, missing: string | undefined): string {
  const column = preprocessing.features.categorical[index] as Preprocessing['features']['categorical'][number];
  const matches = builder.add('Equal', [column.name, builder.strings(`hefl/categories/${column.name}`, column.categories)]);
  const oneHot = builder.add('Cast', [matches], [intAttribute('to', ONNX_TYPE.FLOAT)]);
  if (missing === undefined) return oneHot;
  // A marker cell is missing even when a category is spelt like it, as parseDataset decides.
  const present = builder.add('Sub', [builder.floats('hefl/one', [1], [1]), missing]);
  const presentHot = builder.add('Mul', [oneHot, present]);
  if (hasMissingCategory(preprocessing.features, column.name)) return builder.add('Concat', [presentHot, missing], [intAttribute('axis', 1)]);
  const fill = String(missingPolicyOf(preprocessing.features, column.name)?.fill);
  const fillSlot = column.categories.map((category) => (category === fill ? 1 : 0));
  return builder.add('Add', [presentHot, builder.add('Mul', [missing, builder.floats(`hefl/fill_slot/${column.name}`, [column.categories.length], fillSlot)])]);
}

/**
 * Graph inputs, one per CSV column named like it ([rows, 1]: double for a numeric column, string for
 * a categorical one), and the nodes that turn them into the model input encodeFeatures makes:
 * standardized numerics, missing indicators, then one one-hot block per categorical column.
 *
 * Where ONNX differs from parseDataset (it cannot refuse a row): a category matches by exact spelling
 * (Equal on strings, opset 19), with no trimming and no numeric matching ("2.0" is not the category
 * "2"); an unknown value gives an all-zero block instead of an error; a missing numeric cell is fed
 * as NaN (filled only where the job has a policy for the column, else the score is NaN); a
 * categorical marker matches by exact spelling, untrimmed.
 */
export function addPreprocessingNodes(builder: OnnxGraphBuilder, preprocessing: Preprocessing): { inputs: OnnxValueInfo[]; features: string } {
  const { numeric, categorical } = preprocessing.features;
  const inputs: OnnxValueInfo[] = [
    ...numeric.map((name) => columnInput(name, ONNX_TYPE.DOUBLE, `numeric column "${name}", raw (standardized inside); NaN where missing`)),
    ...categorical.map(({ name, categories }) => columnInput(name, ONNX_TYPE.STRING, `categorical column "${name}": one of ${JSON.stringify(categories)}`)),
  ];
  const missingOf = new Map<string, string>();
  for (const { name } of categorical) {
    if (missingPolicyOf(preprocessing.features, name)) missingOf.set(name, addMarkerMatch(builder, preprocessing, name));
  }
  const blocks: string[] = numeric.length > 0 ? [addNumericBlock(builder, preprocessing)] : [];
  for (const name of indicatorColumns(preprocessing.features)) {
    blocks.push(missingOf.get(name) ?? builder.add('Cast', [builder.add('IsNaN', [name])], [intAttribute('to', ONNX_TYPE.FLOAT)]));
  }
  for (const [index, { name }] of categorical.entries()) blocks.push(addCategoricalBlock(builder, preprocessing, index, missingOf.get(name)));
  const features = blocks.length === 1 ? (blocks[0] as string) : builder.add('Concat', blocks, [intAttribute('axis', 1)]);
  return { inputs, features };
}
