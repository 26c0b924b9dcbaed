import { parseArgs } from 'node:util';
import { z } from 'zod';
import { HeflError } from '../protocols/errors.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/** What `GET /status` answers (coordinatorStatusView), checked before anything is printed. */
const statusViewSchema = z.object({
  jobId: z.string(),
  status: z.string(),
  keyCustody: z.string(),
  participantsExpected: z.array(z.string()),
  participantsConnected: z.array(z.string()),
  roundsCompleted: z.number().int().min(0),
  rounds: z.array(
    z.object({ round: z.number(), kind: z.string(), contributors: z.array(z.string()), heldOutAuc: z.number().nullable(), seconds: z.number() }),
  ),
  failure: z.string().nullable(),
  participants: z.array(
    z.object({
      id: z.string(),
      state: z.string(),
      lastSeenUnixMs: z.number().nullable(),
      upload: z.object({ chunksReceived: z.number(), chunkCount: z.number() }).nullable(),
      // Why the node stopped, as it reported (a code and phase from closed lists); older coordinators omit it.
      failure: z.object({ code: z.string(), phase: z.string(), round: z.number() }).nullable().optional(),
    }),
  ),
});

export const STATUS_HELP = `Usage: hefl status --http HOST:PORT [--token TOKEN] [--json]

Asks a running coordinator (started with --dashboard HOST:PORT) for its job status: state, participants
connected (and the code, phase and round a stopped node reported), rounds completed with their metrics.

Example:
  hefl status --http 127.0.0.1:8080`;

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
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new HeflError('PROTOCOL_VIOLATION', `http://${values.http}/status did not answer JSON`);
  }
  const parsed = statusViewSchema.safeParse(raw);
  if (!parsed.success) throw new HeflError('PROTOCOL_VIOLATION', `http://${values.http}/status is not a HEFL coordinator status: ${parsed.error.issues[0]?.path.join('.') || 'the document'}: ${parsed.error.issues[0]?.message ?? ''}`);
  const status = parsed.data;
  if (values.json) {
    console.log(JSON.stringify(status, null, 2));
    return EXIT.ok;
  }
  console.log(`job ${status.jobId}: ${status.status} (${status.keyCustody} custody)`);
  console.log(`participants connected: ${status.participantsConnected.length} of ${status.participantsExpected.length} (${status.participantsConnected.join(', ') || 'none'})`);
  for (const participant of status.participants) {
    const seen = participant.lastSeenUnixMs === null ? 'never' : `${Math.max(0, Math.round((Date.now() - participant.lastSeenUnixMs) / 1000))} s ago`;
    const upload = participant.upload ? ` ${participant.upload.chunksReceived}/${participant.upload.chunkCount} chunks` : '';
    const failure = participant.failure ? ` (reported ${participant.failure.code} in ${participant.failure.phase}, round ${participant.failure.round})` : '';
    console.log(`  ${participant.id}: ${participant.state}${upload}${failure}, last seen ${seen}`);
  }
  console.log(`training rounds completed: ${status.roundsCompleted}`);
  const last = status.rounds.at(-1);
  if (last) {
    const auc = last.heldOutAuc === null ? '-' : last.heldOutAuc.toFixed(4);
    console.log(`last round ${last.round} (${last.kind}): ${last.contributors.length} contributors, held-out AUC ${auc}, ${last.seconds.toFixed(2)} s`);
  }
  if (status.failure) console.log(`failure: ${status.failure}`);
  return EXIT.ok;
}
