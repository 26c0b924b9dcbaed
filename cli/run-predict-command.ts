import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readModelBundle } from '../participant/bundle/read-model-bundle.js';
import { scoreRows } from '../participant/bundle/score-rows.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const PREDICT_HELP = `Usage: hefl predict --model DIR --csv FILE --out FILE [--id-column NAME] [--delimiter D]

Scores a CSV with a saved model bundle (the participant's output model/ folder: model.json,
weights.bin, preprocessing.json). Rows are read and checked exactly as for training (the first bad
cell stops it with file, line and column) and encoded with the job's federated standardization and
one-hot order; the label column may be missing and is not read. Every other column must be a
feature, ignored in the job, or the --id-column.

Writes one line per row, in file order: the id (with --id-column) and the probability that the
label is the job's positive value, comma-separated.

Options:
  --model DIR       the model bundle folder                                      (required)
  --csv FILE        the rows to score (plain or .gz)                              (required)
  --out FILE        where to write the scores CSV                                 (required)
  --id-column NAME  copy this column into the output to tell the rows apart
  --delimiter D     ";" or "," (default: detected from the header)

Exit codes: 0 scored, 4 dataset invalid, 3 model bundle invalid, 2 usage.

Example:
  hefl predict --model outputs/bank/model --csv new-customers.csv --id-column customer_id --out scores.csv`;

export async function runPredictCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      'id-column': { type: 'string' },
      delimiter: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(PREDICT_HELP);
    return EXIT.ok;
  }
  if (!values.model) throw new UsageError('--model is required', PREDICT_HELP);
  if (!values.csv) throw new UsageError('--csv is required', PREDICT_HELP);
  if (!values.out) throw new UsageError('--out is required', PREDICT_HELP);
  if (values.delimiter !== undefined && values.delimiter !== ';' && values.delimiter !== ',') throw new UsageError('--delimiter must be ";" or ","', PREDICT_HELP);
  const idColumn = values['id-column'];
  // The CSV first: a bad file is reported before the slower model load.
  const table = await readCsvTable(values.csv, values.delimiter === undefined ? {} : { delimiter: values.delimiter });
  await initializeTfBackend();
  const { model, preprocessing } = await readModelBundle(values.model);
  try {
    const { scores, ids } = scoreRows(model, preprocessing, table, idColumn);
    const header = idColumn === undefined ? ['probability'] : [idColumn, 'probability'];
    const rows = Array.from(scores, (score, row) => (ids ? [ids[row] as string, String(score)] : [String(score)]));
    await writeFile(values.out, formatCsv(header, rows, ','));
    console.log(`scored ${scores.length} rows of ${values.csv} with ${values.model} (job ${preprocessing.jobId}): ${values.out}`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}
