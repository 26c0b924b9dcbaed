import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where one training round's time went, in milliseconds, from the product's own log lines: each
 * participant's 'round stage times' (participant/upload-update.ts), the coordinator's 'round phase
 * times' (coordinator/run-round.ts) and, under threshold custody, its 'joint decryption times'
 * (coordinator/custody/threshold-custody.ts). Participant figures are the mean over the participants.
 */
export interface RoundStageTimes {
  readonly round: number;
  /** Participant: local training (tfjs) and building the update vector. */
  readonly localTrainingMs: number;
  /** Participant: waiting on the encryption stage (what the streaming upload could not hide). */
  readonly encryptionMs: number;
  /** Participant: the rest of the upload, to the coordinator's receipt. */
  readonly uploadMs: number;
  /** Coordinator: round announced → last update in (the participants' three stages above, the slowest node). */
  readonly collectMs: number;
  /** Coordinator: adding chunks to the sum (load, validate, journal, add), overlapping the upload. */
  readonly aggregationMs: number;
  /** Coordinator: serializing the sum. */
  readonly finalizeMs: number;
  /** Coordinator: publishing the sum (threshold: the joint decryption; none: the plain sum). */
  readonly publishMs: number;
  /** Threshold: decryption requested → every share in (each node fetches the aggregate, decrypts its part). */
  readonly decryptionSharesMs: number | null;
  /** Threshold, each node (mean): fetching the aggregate for its share. */
  readonly shareFetchMs: number | null;
  /** Threshold, each node (mean): c1 digests, the decryption guard and verifyAggregate (re-summing the signed contributions). */
  readonly shareVerifyMs: number | null;
  /** Threshold, each node (mean): the partial decryption itself (worker pool). */
  readonly shareComputeMs: number | null;
  /** Threshold, each node (mean): sending the share to the coordinator's receipt. */
  readonly shareSubmitMs: number | null;
  /** Threshold: combining the shares and decoding. */
  readonly combineMs: number | null;
  /** Coordinator: the federated evaluation of the new model (its own collect, aggregation and decryption). */
  readonly evaluationMs: number;
  /** Coordinator: the whole round. */
  readonly totalMs: number;
}

type LogRecord = Record<string, unknown>;

function records(lines: readonly string[], message: string): LogRecord[] {
  const found: LogRecord[] = [];
  for (const line of lines) {
    if (!line.includes(message)) continue;
    try {
      const record = JSON.parse(line) as unknown;
      if (typeof record === 'object' && record !== null && (record as LogRecord).msg === message) found.push(record as LogRecord);
    } catch {
      // Not a JSON log line (a pretty-printed or partial one): skipped.
    }
  }
  return found;
}

const numberOf = (record: LogRecord | undefined, key: string): number | undefined => (typeof record?.[key] === 'number' ? (record[key] as number) : undefined);

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((total, value) => total + value, 0) / values.length;
}

/** One entry per training round the coordinator logged, read from its log lines and every participant's. */
export function roundStageTimes(coordinatorLines: readonly string[], participantLines: readonly (readonly string[])[]): RoundStageTimes[] {
  const phases = records(coordinatorLines, 'round phase times').filter((record) => record.kind === 'training');
  const decryptions = records(coordinatorLines, 'joint decryption times').filter((record) => record.kind === 'training');
  const stages = participantLines.map((lines) => records(lines, 'round stage times').filter((record) => record.kind === 'training'));
  const shares = participantLines.map((lines) => records(lines, 'decryption share times').filter((record) => record.kind === 'training'));
  return phases.map((phase) => {
    const round = numberOf(phase, 'round') as number;
    // A round that ran again (retries) logs twice: the last lines are the round that counted.
    const decryption = decryptions.filter((record) => record.round === round).at(-1);
    const own = stages.map((list) => list.filter((record) => record.round === round).at(-1)).filter((record): record is LogRecord => record !== undefined);
    const participantMean = (key: string): number => mean(own.map((record) => numberOf(record, key) ?? Number.NaN));
    const ownShares = shares.map((list) => list.filter((record) => record.round === round).at(-1)).filter((record): record is LogRecord => record !== undefined);
    const shareMean = (key: string): number | null => (ownShares.length === 0 ? null : mean(ownShares.map((record) => numberOf(record, key) ?? Number.NaN)));
    return {
      round,
      localTrainingMs: participantMean('localMs'),
      encryptionMs: participantMean('encryptMs'),
      uploadMs: participantMean('uploadMs'),
      collectMs: numberOf(phase, 'collectMs') ?? Number.NaN,
      aggregationMs: numberOf(phase, 'aggregateMs') ?? Number.NaN,
      finalizeMs: numberOf(phase, 'finalizeMs') ?? Number.NaN,
      publishMs: numberOf(phase, 'publishMs') ?? Number.NaN,
      decryptionSharesMs: numberOf(decryption, 'sharesMs') ?? null,
      shareFetchMs: shareMean('fetchMs'),
      shareVerifyMs: shareMean('verifyMs'),
      shareComputeMs: shareMean('shareMs'),
      shareSubmitMs: shareMean('submitMs'),
      combineMs: numberOf(decryption, 'combineMs') ?? null,
      evaluationMs: numberOf(phase, 'evaluationMs') ?? Number.NaN,
      totalMs: numberOf(phase, 'totalMs') ?? Number.NaN,
    };
  });
}

/** The launcher's log directory: coordinator.log and one <participant>.log each (restarted ones too). */
export async function readRoundStageTimes(logDirectory: string): Promise<RoundStageTimes[]> {
  const names = await readdir(logDirectory);
  const read = async (name: string): Promise<string[]> => (await readFile(join(logDirectory, name), 'utf8')).split('\n');
  const coordinator = await read('coordinator.log');
  const participants = await Promise.all(names.filter((name) => name.endsWith('.log') && name !== 'coordinator.log').map(read));
  return roundStageTimes(coordinator, participants);
}
