import { computeAuc } from '../../participant/data/compute-auc.js';
import type { CsvTable } from '../../participant/data/read-csv-table.js';
import { encodePartyColumns } from '../../participant/vertical/data/encode-party-columns.js';
import { parsePartyTable } from '../../participant/vertical/data/parse-party-table.js';
import { selectPartyRows } from '../../participant/vertical/data/select-party-rows.js';
import { exactLogisticRegression, scoreLogisticModel } from '../../protocols/vertical/logistic/exact-logistic-regression.js';
import { splitTrainValidation } from '../../protocols/vertical/logistic/split-train-validation.js';
import { trainVerticalPlaintext, type VerticalTrainingResult } from './train-vertical-plaintext.js';
import type { VerticalParty } from '../../protocols/vertical/logistic/vertical-party.js';
import {
  type VerticalTrainingSettings,
  type VerticalTrainingSettingsInput,
  verticalTrainingSettingsSchema,
} from '../../protocols/vertical/logistic/vertical-training-settings.js';
import { alignByIdJoin } from './align-by-id-join.js';
import { ID_COLUMN, type VerticalPartyId } from './split-vertical-parties.js';
import { bankLabel, verticalPartySpecs } from './vertical-party-specs.js';

const PARTIES = ['bank', 'ecommerce', 'government'] as const;

export interface PreparedVerticalData {
  /** bank first (it holds the labels and the intercept), then ecommerce, government. */
  parties: VerticalParty[];
  labels: Uint8Array;
  ids: string[];
}

/**
 * Each party parses its file, the rows are aligned on the 3-way intersection (id join, sorted by id,
 * or permuted by `permute` to test order dependence), and each party encodes its own columns with
 * standardisation fitted on the training rows of the shared split.
 */
export function prepareVerticalData(
  tables: Record<VerticalPartyId, CsvTable>,
  settings: VerticalTrainingSettings,
  permute?: (ids: string[]) => Int32Array,
): PreparedVerticalData {
  const parsed = PARTIES.map((party) =>
    parsePartyTable(tables[party], verticalPartySpecs[party], { idColumn: ID_COLUMN, ...(party === 'bank' ? { label: bankLabel } : {}) }),
  );
  const joined = alignByIdJoin(parsed);
  const order = permute?.(joined.ids);
  const positions = order === undefined ? joined.positions : joined.positions.map((local) => Int32Array.from(order, (k) => local[k] as number));
  const ids = order === undefined ? joined.ids : Array.from(order, (k) => joined.ids[k] as string);
  const { train } = splitTrainValidation(ids.length, settings.validationFraction, settings.seed);
  const aligned = parsed.map((table, index) => selectPartyRows(table, positions[index] as Int32Array));
  const parties = PARTIES.map((party, index): VerticalParty => {
    const encoded = encodePartyColumns(aligned[index] as (typeof aligned)[number], verticalPartySpecs[party], {
      trainRows: train,
      clip: settings.clip,
      featureScaleBits: settings.featureScaleBits,
      intercept: party === 'bank',
    });
    return { id: party, columns: encoded.columns, names: encoded.names, ...(encoded.interceptIndex === undefined ? {} : { interceptIndex: encoded.interceptIndex }) };
  });
  return { parties, labels: aligned[0]?.labels as Uint8Array, ids };
}

export interface VerticalBaselines {
  rows: number;
  trainRows: number;
  validationRows: number;
  /** Exact LR on the bank's own columns (what the bank can do alone). */
  bankOnlyAuc: number;
  /** Exact LR on all parties' columns pooled (what VFL avoids pooling). */
  centralizedAuc: number;
  /** The plaintext Taylor recipe, as the federation runs it. */
  taylorAuc: number;
  taylor: VerticalTrainingResult;
}

/** All three on the same rows, split and encoded columns, validation AUC each. */
export function verticalBaselines(data: PreparedVerticalData, settingsInput: VerticalTrainingSettingsInput): VerticalBaselines {
  const settings = verticalTrainingSettingsSchema.parse(settingsInput);
  const { train, validation } = splitTrainValidation(data.labels.length, settings.validationFraction, settings.seed);
  const validationLabels = Uint8Array.from(validation, (row) => data.labels[row] as number);
  const exactAuc = (parties: VerticalParty[]): number => {
    const columns = parties.flatMap((party) => party.columns);
    const bank = parties[0] as VerticalParty;
    const model = exactLogisticRegression(columns, data.labels, { l2: settings.l2, rows: train, interceptIndex: bank.interceptIndex });
    return computeAuc(scoreLogisticModel(columns, model, validation), validationLabels);
  };
  const taylor = trainVerticalPlaintext(data.parties, data.labels, settings);
  return {
    rows: data.labels.length,
    trainRows: train.length,
    validationRows: validation.length,
    bankOnlyAuc: exactAuc(data.parties.slice(0, 1)),
    centralizedAuc: exactAuc(data.parties),
    taylorAuc: taylor.epochs.at(-1)?.validationAuc ?? Number.NaN,
    taylor,
  };
}
