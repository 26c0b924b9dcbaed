import { parseArgs } from 'node:util';
import { exportBundleToOnnx } from '../participant/onnx/export-onnx.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const EXPORT_ONNX_HELP = `Usage: hefl export-onnx --model DIR --out FILE

Writes a model bundle (model.json, weights.bin, preprocessing.json) as one ONNX graph with the
preprocessing inside: one input per CSV column, named like it, shape [rows, 1] (numeric: double,
raw values, standardized inside; categorical: string, one-hot inside in the declared order), one
output "probability" (float, [rows, 1]). ONNX opset 19 (for Equal on strings); tested with
onnxruntime 1.30.

New bundles already hold it as model.onnx; this command is for bundles written before.

The job's missing-value policies are in the graph: feed a missing numeric cell as NaN; a
categorical cell spelt like one of the job's markers is missing. Differences from \`hefl predict\`:
a category or marker must be spelled exactly ("2.0" does not match the category 2, spaces count),
an unknown category gives an all-zero one-hot block instead of an error, and NaN in a column
without a fill policy gives a NaN score. Check inputs with \`hefl check\` first.

Options:
  --model DIR   the model bundle folder                                          (required)
  --out FILE    where to write the .onnx file                                     (required)

Exit codes: 0 written, 3 model bundle invalid, 2 usage.

Example:
  hefl export-onnx --model outputs/bank/model --out bank.onnx`;

export async function runExportOnnxCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(EXPORT_ONNX_HELP);
    return EXIT.ok;
  }
  if (!values.model) throw new UsageError('--model is required', EXPORT_ONNX_HELP);
  if (!values.out) throw new UsageError('--out is required', EXPORT_ONNX_HELP);
  await initializeTfBackend();
  await exportBundleToOnnx(values.model, values.out);
  console.log(`wrote ${values.out} from ${values.model}`);
  return EXIT.ok;
}
