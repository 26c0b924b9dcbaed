import { parseArgs } from 'node:util';
import type { CoordinatorStatusView } from '../coordinator/coordinator-http-server.js';
import { HeflError } from '../protocols/errors.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const STATUS_HELP = `Usage: hefl status --http HOST:PORT [--token TOKEN] [--json]

Asks a running coordinator (started with --http) for its job status: state, participants
connected, rounds completed with their metrics.

Example:
  hefl status --http 127.0.0.1:9464`;

export async function runStatusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      http: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(STATUS_HELP);
    return EXIT.ok;
  }
  if (!values.http) throw new UsageError('--http is required', STATUS_HELP);
  let response: Response;
  try {
    response = await fetch(`http://${values.http}/status`, {
      headers: values.token ? { authorization: `Bearer ${values.token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new HeflError('COORDINATOR_UNREACHABLE', `no coordinator status at http://${values.http}/status (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new HeflError('PROTOCOL_VIOLATION', `http://${values.http}/status answered ${response.status}: ${(await response.text()).trim()}`);
  const status = (await response.json()) as CoordinatorStatusView;
  if (values.json) {
    console.log(JSON.stringify(status, null, 2));
    return EXIT.ok;
  }
  console.log(`job ${status.jobId}: ${status.status} (${status.keyCustody} custody)`);
  console.log(`participants connected: ${status.participantsConnected.length} of ${status.participantsExpected.length} (${status.participantsConnected.join(', ') || 'none'})`);
  console.log(`training rounds completed: ${status.roundsCompleted}`);
  const last = status.rounds.at(-1);
  if (last) {
    const auc = last.heldOutAuc === null ? '-' : last.heldOutAuc.toFixed(4);
    console.log(`last round ${last.round} (${last.kind}): ${last.contributors.length} contributors, held-out AUC ${auc}, ${last.seconds.toFixed(2)} s`);
  }
  if (status.failure) console.log(`failure: ${status.failure}`);
  return EXIT.ok;
}
