import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import { splitInstitutions } from '../examples/bank-marketing/split-institutions.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { bankJob } from '../test/support/bank-slices.js';
import { figure, ratioFigure, type Figure } from './figures.js';
import { readRoundStageTimes, type RoundStageTimes } from './round-stage-times.js';

/** Milliseconds per stage of every training round (the product's own log lines, see round-stage-times.ts); null where the custody has no such stage. */
export type BankJobStages = { readonly [Stage in Exclude<keyof RoundStageTimes, 'round'>]: Figure | null };

function stageFigures(rounds: readonly RoundStageTimes[]): BankJobStages {
  const stage = (pick: (round: RoundStageTimes) => number | null): Figure | null => {
    const values = rounds.map(pick);
    return values.every((value): value is number => value !== null && Number.isFinite(value)) && values.length > 0 ? figure('ms', values) : null;
  };
  return {
    localTrainingMs: stage((round) => round.localTrainingMs),
    encryptionMs: stage((round) => round.encryptionMs),
    uploadMs: stage((round) => round.uploadMs),
    collectMs: stage((round) => round.collectMs),
    aggregationMs: stage((round) => round.aggregationMs),
    finalizeMs: stage((round) => round.finalizeMs),
    publishMs: stage((round) => round.publishMs),
    decryptionSharesMs: stage((round) => round.decryptionSharesMs),
    shareFetchMs: stage((round) => round.shareFetchMs),
    shareVerifyMs: stage((round) => round.shareVerifyMs),
    shareComputeMs: stage((round) => round.shareComputeMs),
    shareSubmitMs: stage((round) => round.shareSubmitMs),
    combineMs: stage((round) => round.combineMs),
    evaluationMs: stage((round) => round.evaluationMs),
    totalMs: stage((round) => round.totalMs),
  };
}

/** One custody mode's job: every training round's seconds (coordinator RoundSummary), run after run. */
export interface BankJobRun {
  readonly custody: 'threshold' | 'none';
  /** Round start to every evaluation reported: local training (tfjs), encryption, upload, aggregation, decryption, evaluation. */
  readonly trainingRoundSeconds: Figure;
  /** The first training round alone (cold tfjs and worker threads). */
  readonly firstTrainingRoundSeconds: Figure;
  readonly bytesReceivedPerTrainingRound: Figure;
  /** Held-out AUC after the last round: HE must not change the model's quality. */
  readonly finalHeldOutAuc: Figure;
  /** Where each training round's time went, every training round of every run. */
  readonly stages: BankJobStages;
  /** 1, 5, 15-minute load averages right before each job (a shared 2-core machine). */
  readonly loadAverageBeforeJobs: readonly (readonly number[])[];
}

export type BankJobResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'measured';
      /** Rows per institution (0 = each institution's whole share of the data). */
      readonly rowsPerInstitution: number;
      readonly modelParameters: number;
      /** Units of each hidden layer ([] = logistic regression). */
      readonly hiddenLayers: readonly number[];
      readonly trainingRounds: number;
      readonly encrypted: BankJobRun;
      readonly plaintext: BankJobRun;
      /** Encrypted / plaintext training round, round by round of back-to-back jobs (the target: at most 1.3). */
      readonly encryptedOverPlaintext: Figure;
      readonly firstRoundEncryptedOverPlaintext: Figure;
    };

const INSTITUTIONS = ['bank', 'ecommerce', 'government'] as const;

export interface BankJobBenchOptions {
  /** 0: each institution's whole share of the 41,188 rows (the demo's split). */
  readonly rowsPerInstitution: number;
  /** Units of each hidden layer of the MLP ([1536] on 62 inputs: 98,305 parameters; [968, 968]: 999,945); [] = logistic regression. */
  readonly hiddenLayers: readonly number[];
  readonly trainingRounds: number;
}

/** The demo's split (splitInstitutions, seed 42) as one CSV per institution and test.csv; rowsPerInstitution > 0 takes every 7th row up to that many. */
export async function writeInstitutionFiles(directory: string, rowsPerInstitution: number): Promise<{ files: Record<string, string>; testFile: string }> {
  const table = await readCsvTable(bankMarketingDataPath);
  const split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
  await mkdir(directory, { recursive: true });
  const files: Record<string, string> = {};
  for (const institution of split.institutions) {
    const rows = rowsPerInstitution > 0 ? institution.rows.filter((_, index) => index % 7 === 0).slice(0, rowsPerInstitution) : institution.rows;
    files[institution.id] = join(directory, `${institution.id}.csv`);
    await writeFile(files[institution.id] as string, formatCsv(table.header, rows));
  }
  const testFile = join(directory, 'test.csv');
  await writeFile(testFile, formatCsv(table.header, split.test));
  return { files, testFile };
}

function jobFor(options: BankJobBenchOptions, custody: 'threshold' | 'none'): JobSpec {
  const base = bankJob({
    jobId: `bench-bank-${custody}`,
    model:
      options.hiddenLayers.length > 0
        ? { kind: 'sequential', hiddenLayers: options.hiddenLayers.map((units) => ({ type: 'dense' as const, units, activation: 'relu' as const })) }
        : { kind: 'logistic-regression' },
    training: { rounds: options.trainingRounds, localEpochs: 1, batchSize: 64, learningRate: 0.001, optimizer: 'adam', seed: 7 },
    federation: { participants: [...INSTITUTIONS], minParticipants: 3, roundDeadlineSeconds: 300, joinDeadlineSeconds: 120 },
  });
  // The same job, the same code path: only the custody mode differs (threshold CKKS, or HE switched off).
  return jobSpecSchema.parse({ ...base, ckks: undefined, custody: custody === 'threshold' ? { mode: 'threshold' } : { mode: 'none' } });
}

/**
 * HE's cost on a whole round: the bank-marketing job (statistics round + training rounds) with the
 * coordinator and three participants as separate OS processes over gRPC on 127.0.0.1
 * (`launchLocalFederation`, as `npm run demo` does), once under threshold CKKS (the default custody)
 * and once with HE switched off (custody none: float32 updates, plain FedAvg, through the same
 * processes and code), back to back in each run.
 */
export async function measureBankJob(options: BankJobBenchOptions, repeat: number, onProgress: (line: string) => void): Promise<BankJobResult> {
  if (!bankMarketingDataAvailable) return { status: 'skipped', reason: `bank-marketing data not found at ${bankMarketingDataPath}` };
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-bank-'));
  try {
    const { files, testFile } = await writeInstitutionFiles(join(directory, 'data'), options.rowsPerInstitution);
    let modelParameters = 0;
    const samples = {
      threshold: { rounds: [] as number[], first: [] as number[], bytes: [] as number[], auc: [] as number[], stages: [] as RoundStageTimes[], loads: [] as number[][] },
      none: { rounds: [] as number[], first: [] as number[], bytes: [] as number[], auc: [] as number[], stages: [] as RoundStageTimes[], loads: [] as number[][] },
    };
    for (let run = 0; run < repeat; run += 1) {
      for (const custody of ['threshold', 'none'] as const) {
        onProgress(`bank job over gRPC (4 processes), custody ${custody}: run ${run + 1}/${repeat}`);
        const work = join(directory, `${custody}-${run}`);
        samples[custody].loads.push(loadavg());
        const { report, logDirectory } = await launchLocalFederation({
          workDirectory: work,
          job: jobFor(options, custody),
          nodes: INSTITUTIONS.map((participantId) => ({ participantId, dataCsv: files[participantId] as string, ...(participantId === 'bank' ? { evaluationCsv: testFile } : {}) })),
          allowUnencryptedUpdates: custody === 'none',
          timeoutMs: 600_000,
        });
        if (report.status !== 'finished') throw new Error(`bank job (custody ${custody}) ended ${report.status}: ${report.failure ?? ''}`);
        const training = report.rounds.filter((round) => round.kind === 'training');
        if (training.length !== options.trainingRounds) throw new Error(`bank job reported ${training.length} training rounds, expected ${options.trainingRounds}`);
        modelParameters = report.modelParameters;
        const bucket = samples[custody];
        bucket.rounds.push(...training.map((round) => round.seconds));
        bucket.first.push((training[0] as (typeof training)[number]).seconds);
        bucket.bytes.push(...training.map((round) => round.bytesReceived));
        bucket.auc.push(training.at(-1)?.heldOutAuc ?? Number.NaN);
        bucket.stages.push(...(await readRoundStageTimes(logDirectory)));
        await rm(work, { recursive: true, force: true });
      }
    }
    const runOf = (custody: 'threshold' | 'none'): BankJobRun => ({
      custody,
      trainingRoundSeconds: figure('s', samples[custody].rounds),
      firstTrainingRoundSeconds: figure('s', samples[custody].first),
      bytesReceivedPerTrainingRound: figure('bytes', samples[custody].bytes),
      finalHeldOutAuc: figure('auc', samples[custody].auc),
      stages: stageFigures(samples[custody].stages),
      loadAverageBeforeJobs: samples[custody].loads,
    });
    const encrypted = runOf('threshold');
    const plaintext = runOf('none');
    return {
      status: 'measured',
      rowsPerInstitution: options.rowsPerInstitution,
      modelParameters,
      hiddenLayers: options.hiddenLayers,
      trainingRounds: options.trainingRounds,
      encrypted,
      plaintext,
      encryptedOverPlaintext: ratioFigure(encrypted.trainingRoundSeconds, plaintext.trainingRoundSeconds),
      firstRoundEncryptedOverPlaintext: ratioFigure(encrypted.firstTrainingRoundSeconds, plaintext.firstTrainingRoundSeconds),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
