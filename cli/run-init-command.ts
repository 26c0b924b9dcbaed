import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes.js';
import { scaffoldFederation, SCENARIOS, type Scenario } from './scaffold-federation.js';
import { UsageError } from './usage-error.js';

export const INIT_HELP = `Usage: hefl init [--scenario NAME] --out DIR

Scaffolds a federation folder: a commented job file (job.yaml), one node config per participant
(nodes/*.yaml) and NEXT-STEPS.md. Scenarios: ${SCENARIOS.join(', ')} (default bank-marketing).

Example:
  hefl init --scenario bank-marketing --out federation`;

export async function runInitCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { scenario: { type: 'string', default: 'bank-marketing' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(INIT_HELP);
    return EXIT.ok;
  }
  if (!values.out) throw new UsageError('--out is required', INIT_HELP);
  if (!(SCENARIOS as readonly string[]).includes(values.scenario)) {
    throw new UsageError(`unknown scenario "${values.scenario}"; choose one of ${SCENARIOS.join(', ')}`, INIT_HELP);
  }
  const written = await scaffoldFederation(values.scenario as Scenario, values.out);
  for (const path of written) console.log(`wrote ${path}`);
  return EXIT.ok;
}
