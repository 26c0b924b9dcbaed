import type * as tf from '@tensorflow/tfjs';
import { DatasetError } from '../../protocols/errors.js';
import { encodeFeatures } from '../data/encode-features.js';
import { parseDataset } from '../data/parse-dataset.js';
import type { CsvTable } from '../data/read-csv-table.js';
import { predictScores } from '../model/predict-scores.js';
import { standardizationOf, type Preprocessing } from './preprocessing-file.js';

export interface ScoredRows {
  /** The positive-class probability of each row, in file order. */
  readonly scores: Float32Array;
  /** Each row's id cell, when an id column was named. */
  readonly ids?: readonly string[];
}

/**
 * Scores CSV rows the way training encoded them: the same cell validation (first bad cell ends it
 * with file, line and column), the label column optional and never read, the federated
 * standardization, the same one-hot order.
 */
export function scoreRows(model: tf.LayersModel, preprocessing: Preprocessing, table: CsvTable, idColumn?: string): ScoredRows {
  const schema = preprocessing.features;
  const idPosition = idColumn === undefined ? -1 : table.header.indexOf(idColumn);
  if (idColumn !== undefined && idPosition < 0) {
    throw new DatasetError(`${table.source}: line 1: id column "${idColumn}" is missing from the header`);
  }
  const dataset = parseDataset(table, schema, undefined, { scoring: true, passThrough: idColumn === undefined ? [] : [idColumn] });
  const encoded = encodeFeatures(dataset, schema, standardizationOf(preprocessing));
  const scores = predictScores(model, encoded.features, encoded.rowCount, encoded.width);
  return idColumn === undefined ? { scores } : { scores, ids: table.rows.map((cells) => cells[idPosition] as string) };
}
