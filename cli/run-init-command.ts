import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes.js';
import { scaffoldFederation, SCENARIOS, type Scenario } from './scaffold-federation.js';
import { UsageError } from './usage-error.js';

export const INIT_HELP = `Usage: hefl init [--scenario NAME] --out DIR [--dataset FILE]

Scaffolds a federation folder: a commented job file (job.yaml), one node config per participant
(nodes/*.yaml) and NEXT-STEPS.md. Scenarios: ${SCENARIOS.join(', ')} (default bank-marketing).
With --dataset (the UCI Bank Marketing CSV, ';'-separated, .gz allowed) it also writes each
institution's slice to data/ and a stratified 20 % holdout that the bank's node evaluates on.

Example:
  hefl init --scenario bank-marketing --out federation \\
    --dataset ../shared/datasets/bank-marketing/bank-additional-full.csv.gz`;

export async function runInitCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'bank-marketing' },
      out: { type: 'string' },
      dataset: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(INIT_HELP);
    return EXIT.ok;
  }
  if (!values.out) throw new UsageError('--out is required', INIT_HELP);
  if (!(SCENARIOS as readonly string[]).includes(values.scenario)) {
    throw new UsageError(`unknown scenario "${values.scenario}"; choose one of ${SCENARIOS.join(', ')}`, INIT_HELP);
  }
  const written = await scaffoldFederation(values.scenario as Scenario, values.out, values.dataset ? { dataset: values.dataset } : {});
  for (const path of written) console.log(`wrote ${path}`);
  return EXIT.ok;
}
