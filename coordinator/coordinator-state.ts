import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../protocols/errors.js';
import { formatConfigIssues } from '../protocols/job/format-config-issues.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { writeFileAtomically } from '../protocols/state/write-file-atomically.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';

const roundSummarySchema = z.strictObject({
  round: z.number().int().min(0),
  kind: z.enum(['statistics', 'training']),
  contributors: z.array(z.string()).readonly(),
  meanLocalLoss: z.number().nullable(),
  heldOutAuc: z.number().nullable(),
  heldOutLoss: z.number().nullable(),
  evaluationCount: z.number().min(0),
  totalWeight: z.number().min(0),
  bytesReceived: z.number().min(0),
  bytesSent: z.number().min(0),
  seconds: z.number().min(0),
});

/**
 * What a coordinator needs to continue a job after a crash: how far it got, the round history for
 * the report and, under threshold custody, the hash of the collective key the participants hold.
 * The global model itself lives with the participants (each applies the decrypted aggregate), so
 * nothing here is secret or a per-participant statistic.
 */
export const coordinatorStateSchema = z.strictObject({
  format: z.literal('hefl-coordinator-state/1'),
  jobId: z.string().min(1),
  /** SHA-256 of the job's canonical JSON: a state file resumes only the very same job. */
  jobSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The last round whose aggregate was published (0 = statistics); null before round 0 completed. */
  lastCompletedRound: z.number().int().min(0).nullable(),
  collectiveKeySha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  rounds: z.array(roundSummarySchema).readonly(),
  sampleCounts: z.record(z.string(), z.number().min(0).nullable()),
  bytesReceived: z.number().min(0),
  bytesSent: z.number().min(0),
  startedAt: z.string(),
  savedAt: z.string(),
});

export type CoordinatorState = z.infer<typeof coordinatorStateSchema>;

export async function saveCoordinatorState(path: string, state: CoordinatorState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Reads a state file for `job`; errors name the file and what is wrong with it. */
export async function loadCoordinatorState(path: string, job: JobSpec): Promise<CoordinatorState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(`${path}: no coordinator state to resume from (it is written with --state while a job runs)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = coordinatorStateSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatConfigIssues(path, parsed.error));
  const state = parsed.data;
  if (state.jobId !== job.jobId || state.jobSha256 !== jobSha256(job)) {
    throw new ConfigError(`${path} is the state of another job (or of an edited job file); a job resumes only with the job file it started with`);
  }
  if (state.lastCompletedRound !== (state.rounds.at(-1)?.round ?? null)) {
    throw new ConfigError(`${path}: lastCompletedRound ${state.lastCompletedRound} is not the last of its rounds (${state.rounds.at(-1)?.round ?? 'none'})`);
  }
  const unknown = Object.keys(state.sampleCounts).filter((id) => !job.federation.participants.includes(id));
  if (unknown.length > 0) throw new ConfigError(`${path} names participants not in the job: ${unknown.join(', ')}`);
  return state;
}
