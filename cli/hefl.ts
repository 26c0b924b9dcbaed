import { HeflError } from '../protocols/errors.js';
import { sealFailure } from '../protocols/ckks/describe-seal-failure.js';
import { runAuditCommand } from './run-audit-command.js';
import { runBenchCommand } from './run-bench-command.js';
import { runCheckCommand } from './run-check-command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { runCoordinatorCommand } from './run-coordinator-command.js';
import { runExportOnnxCommand } from './run-export-onnx-command.js';
import { runInitCommand } from './run-init-command.js';
import { runKeysCommand } from './run-keys-command.js';
import { runParticipantCommand } from './run-participant-command.js';
import { runPredictCommand } from './run-predict-command.js';
import { runProvisionCommand } from './run-provision-command.js';
import { runStatusCommand } from './run-status-command.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: hefl <command> [options]

Privacy-preserving federated learning: participants train locally and send only CKKS-encrypted
updates; the coordinator sums ciphertexts it cannot decrypt.

Commands:
  init           scaffold a federation folder (commented job file, node configs)
  keys init      create the key folders, one per node
  provision      create a federation CA and mutual-TLS startup kits (revoke nodes; request/install
                 for keys made on the node's own host)
  check          check a node's CSV files against the job offline: every problem, and a summary
  coordinator    run the coordinator of a job
  participant    run a participant node from its config file
  status         ask a running coordinator (started with --dashboard) how its job is going
  predict        score a CSV with a saved model bundle (one probability per row)
  export-onnx    write a model bundle as ONNX, preprocessing inside (new bundles hold model.onnx)
  audit verify   check the signed, hash-chained egress ledgers of the participants
  bench          measure CKKS, Paillier and whole-round costs (table + out/bench/bench.json)

Run \`hefl <command> --help\` for a command's options and an example.

Exit codes: 0 ok, 1 job failed, 2 usage, 3 config invalid, 4 dataset invalid,
5 key custody violation, 6 coordinator unreachable, 7 protocol violation, 70 internal error.`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  init: runInitCommand,
  keys: runKeysCommand,
  check: runCheckCommand,
  provision: runProvisionCommand,
  coordinator: runCoordinatorCommand,
  participant: runParticipantCommand,
  status: runStatusCommand,
  predict: runPredictCommand,
  'export-onnx': runExportOnnxCommand,
  audit: runAuditCommand,
  bench: runBenchCommand,
};

/** Runs the CLI and returns its exit code; errors become one clear line on stderr, never a stack dump. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`hefl: unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  try {
    return await command(rest);
  } catch (thrown) {
    // Not even an Error (a SEAL exception is a WebAssembly.Exception): say what SEAL said, never "[object …]".
    const error = thrown instanceof Error ? thrown : sealFailure(thrown, 'a CKKS operation');
    if (error instanceof UsageError) {
      process.stderr.write(`hefl ${name}: ${error.message}\n\n${error.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof HeflError) {
      process.stderr.write(`hefl ${name}: error: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`hefl ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`hefl ${name}: internal error: ${error.message}\n`);
    if (process.env.HEFL_DEBUG) console.error(error);
    return EXIT.internal;
  }
}
