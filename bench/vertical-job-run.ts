/**
 * One vertical bank-marketing job as processes (coordinator + bank, ecommerce, government over gRPC
 * on 127.0.0.1, `launchLocalFederation` as `npm run demo:vertical`), and what the bench reads from it:
 * the coordinator's log (PSI end and every epoch's end, with its running byte totals) and each party's
 * egress ledger (outputs/<party>/egress.jsonl).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bankMarketingVerticalJob } from '../examples/bank-marketing-vertical/bank-marketing-vertical-job.js';
import type { VerticalPartyId } from '../examples/bank-marketing-vertical/split-vertical-parties.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { verticalJobSpecSchema, type VerticalJobSpec } from '../protocols/vertical/vertical-job-spec.js';
import { VERTICAL_PARTIES, type VerticalBenchData } from './vertical-data.js';

export type VerticalCustody = 'threshold' | 'none';

/** One epoch of one job: PSI end (or the previous epoch's end) → the coordinator's 'epoch finished'. */
export interface VerticalEpochSample {
  readonly seconds: number;
  readonly coordinatorBytesReceived: number;
  readonly coordinatorBytesSent: number;
  /** Per party: the `size` of every egress record of this epoch (its posts by address, its fetch requests by time). */
  readonly partyEgressBytes: Readonly<Record<VerticalPartyId, number>>;
}

export interface VerticalJobSample {
  readonly intersectionSize: number;
  /** Coordinator listening → PSI complete: joins, threshold key setup, PSI. */
  readonly setupSeconds: number;
  /** The coordinator's whole job (its report's seconds). */
  readonly jobSeconds: number;
  readonly coordinatorBytesTotal: number;
  readonly epochs: readonly VerticalEpochSample[];
  readonly finalValidationAuc: number;
}

interface LogMark {
  readonly timeMs: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
}

interface LedgerRecord {
  readonly time: string;
  readonly messageType: string;
  readonly size: number;
  readonly metadataFields?: { readonly address?: string };
}

/** Kinds posted once per epoch (their address carries the epoch); everything else is setup or PSI. */
const EPOCH_KINDS = new Set(['forward-part', 'gradient-products', 'coefficient-shares', 'score-part', 'score-shares', 'epoch-metrics']);

export function verticalBenchJob(custody: VerticalCustody, epochs: number): VerticalJobSpec {
  return verticalJobSpecSchema.parse(bankMarketingVerticalJob({ jobId: `bench-vertical-${custody}`, training: { epochs }, custody: { mode: custody } }));
}

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as T);
}

/** The coordinator's 'private set intersection complete' and 'epoch finished' lines, in order. */
export function coordinatorMarks(logText: string): { psi: LogMark; epochs: LogMark[] } {
  const entries = jsonLines<{ msg?: string; time: number; bytesReceived?: number; bytesSent?: number }>(logText);
  const mark = (entry: (typeof entries)[number]): LogMark => {
    if (entry.bytesReceived === undefined || entry.bytesSent === undefined) throw new Error(`coordinator log line "${entry.msg}" carries no byte totals`);
    return { timeMs: entry.time, bytesReceived: entry.bytesReceived, bytesSent: entry.bytesSent };
  };
  const psi = entries.find((entry) => entry.msg === 'private set intersection complete');
  if (!psi) throw new Error('the coordinator log has no "private set intersection complete" line');
  return { psi: mark(psi), epochs: entries.filter((entry) => entry.msg === 'epoch finished').map(mark) };
}

/** Bytes per epoch in one party's ledger: posts by their address's epoch, fetch requests by the epoch's time window. */
export function egressBytesPerEpoch(ledgerText: string, boundariesMs: readonly number[]): number[] {
  const epochs = boundariesMs.length - 1;
  const bytes = new Array<number>(epochs).fill(0);
  for (const record of jsonLines<LedgerRecord>(ledgerText)) {
    const [kind, epochField] = (record.metadataFields?.address ?? '').split('/');
    let epoch = -1;
    if (kind !== undefined && EPOCH_KINDS.has(kind)) epoch = Number(epochField);
    else if (record.messageType === 'FetchVertical') {
      const time = Date.parse(record.time);
      epoch = boundariesMs.findIndex((boundary, index) => index > 0 && time > (boundariesMs[index - 1] as number) && time <= boundary) - 1;
    }
    if (epoch >= 0 && epoch < epochs) bytes[epoch] = (bytes[epoch] as number) + record.size;
  }
  return bytes;
}

async function readSample(work: string, report: { intersectionSize?: number; seconds: number; bytesReceived: number; bytesSent: number; epochs: readonly { validationAuc: number }[] }): Promise<VerticalJobSample> {
  const logText = await readFile(join(work, 'logs', 'coordinator.log'), 'utf8');
  const { psi, epochs } = coordinatorMarks(logText);
  const listening = jsonLines<{ msg?: string; time: number }>(logText).find((entry) => entry.msg === 'vertical coordinator listening');
  const marks = [psi, ...epochs];
  const boundaries = marks.map((mark) => mark.timeMs);
  const egress = {} as Record<VerticalPartyId, number[]>;
  for (const party of VERTICAL_PARTIES) egress[party] = egressBytesPerEpoch(await readFile(join(work, 'outputs', party, 'egress.jsonl'), 'utf8'), boundaries);
  const epochSamples = epochs.map((end, index): VerticalEpochSample => {
    const start = marks[index] as LogMark;
    return {
      seconds: (end.timeMs - start.timeMs) / 1000,
      coordinatorBytesReceived: end.bytesReceived - start.bytesReceived,
      coordinatorBytesSent: end.bytesSent - start.bytesSent,
      partyEgressBytes: Object.fromEntries(VERTICAL_PARTIES.map((party) => [party, egress[party][index] ?? 0])) as Record<VerticalPartyId, number>,
    };
  });
  return {
    intersectionSize: report.intersectionSize ?? 0,
    setupSeconds: listening ? (psi.timeMs - listening.time) / 1000 : Number.NaN,
    jobSeconds: report.seconds,
    coordinatorBytesTotal: report.bytesReceived + report.bytesSent,
    epochs: epochSamples,
    finalValidationAuc: report.epochs.at(-1)?.validationAuc ?? Number.NaN,
  };
}

/** Runs the job once in `work` and reads its figures; throws when it does not finish. */
export async function runVerticalJob(work: string, data: VerticalBenchData, custody: VerticalCustody, epochs: number): Promise<VerticalJobSample> {
  const job = verticalBenchJob(custody, epochs);
  const federation = await launchLocalFederation({
    workDirectory: work,
    job,
    nodes: VERTICAL_PARTIES.map((participantId) => ({ participantId, dataCsv: data.files[participantId] })),
    allowUnencryptedUpdates: custody === 'none',
    timeoutMs: 20 * 60_000,
  });
  const { report } = federation;
  const failed = Object.entries(federation.participantExitCodes).filter(([, code]) => code !== 0);
  if (report.status !== 'finished' || federation.coordinatorExitCode !== 0 || failed.length > 0) {
    throw new Error(`vertical job (custody ${custody}) ended ${report.status}: ${report.reason ?? `exit codes ${JSON.stringify(federation.participantExitCodes)}`}; logs in ${federation.logDirectory}`);
  }
  const sample = await readSample(work, report);
  if (sample.epochs.length !== epochs) throw new Error(`vertical job (custody ${custody}) logged ${sample.epochs.length} epochs, expected ${epochs}`);
  return sample;
}
