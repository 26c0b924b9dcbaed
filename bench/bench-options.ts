import { parseArgs } from 'node:util';
import { DP_VARIANTS } from './differential-privacy.js';
import type { BankJobBenchOptions } from './bank-job-end-to-end.js';
import type { ConvergenceBenchOptions } from './convergence.js';
import type { DpBenchOptions } from './differential-privacy.js';
import type { VerticalBenchOptions } from './vertical-section.js';

export const BENCH_SECTIONS = ['ckks', 'parallel', 'paillier', 'bank-job', 'bank-job-1m', 'round', 'memory', 'threshold', 'tofn', 'vertical', 'convergence', 'dp'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  readonly repeat: number;
  readonly outFile: string;
  readonly sections: ReadonlySet<BenchSection>;
  /** CKKS throughput sizes (parameters). */
  readonly ckksSizes: readonly number[];
  /** Update size of the parallel-encryption section (CkksWorkerPool vs one thread). */
  readonly parallelParameters: number;
  /** Values Paillier encrypts per run; its per-parameter costs are extrapolated from them. */
  readonly paillierSampleSize: number;
  /** The whole-round HE cost: the bank job under threshold CKKS and with HE off (see bank-job-end-to-end.ts). */
  readonly bankJob: BankJobBenchOptions;
  /** The same at about 1M parameters (issue #19), with per-stage times; null with --quick (skipped: bank-job covers its code). */
  readonly bankJobLarge: BankJobBenchOptions | null;
  /** P and N of the synthetic round over gRPC. */
  readonly roundParameters: number;
  readonly roundParticipants: number;
  /** P and the participant counts of the coordinator RSS probe. */
  readonly memoryParameters: number;
  readonly memoryParticipants: readonly number[];
  /** A coordinator RSS run past this is killed and reported as capped. */
  readonly memoryLimitSeconds: number;
  /** Aggregate size and party count of the threshold decryption costs. */
  readonly thresholdParameters: number;
  readonly thresholdParties: number;
  /** Federation sizes N of the t-of-N section (t = ⌊N/2⌋+1). */
  readonly tofnParties: readonly number[];
  /** PSI sizes and the vertical bank-marketing job, threshold vs custody none (see vertical-section.ts). */
  readonly vertical: VerticalBenchOptions;
  /** Rounds for each server optimizer to come within 0.002 AUC of the centralized model on the bank data (see convergence.ts). */
  readonly convergence: ConvergenceBenchOptions;
  /** Held-out AUC against ε for a few noise multipliers on the bank data (see differential-privacy.ts). */
  readonly differentialPrivacy: DpBenchOptions;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--repeat N] [--out FILE] [--only SECTION,...] [--participants N,...] [--vertical-epochs N] [--convergence-rounds N]
  --quick        small sizes and 1 run: a smoke run (under a minute)
  --repeat N     runs per figure (default 3; 1 with --quick)
  --out FILE     where the JSON goes (default out/bench/bench.json)
  --only LIST    comma-separated sections: ${BENCH_SECTIONS.join(', ')} (default: all)
  --participants LIST
                 participant counts of the memory section, e.g. 3,10,20 (default 3,10,20; 2,4 with --quick)
  --vertical-epochs N
                 epochs of each vertical job of the vertical section (default 3; 1 with --quick)
  --convergence-rounds N
                 training rounds of each federation of the convergence section (default 40; 2 with --quick)

Prints the tables on stdout and writes every sample and median as JSON.

Examples:
  npm run bench                        (or: hefl bench) every section, 3 runs per figure
  npm run bench -- --only memory       coordinator peak RSS with 3, 10 and 20 participant processes
  npm run bench -- --only tofn         t-of-N custody: resharing bytes and seconds for N = 3, 5, 10, per-round decryption bytes
  npm run bench -- --only bank-job     one whole round, threshold CKKS vs HE switched off (custody none)
  npm run bench -- --only bank-job-1m --repeat 1
                                       the same at 999,945 parameters, with where each round's time goes
  npm run bench -- --only vertical     PSI 3 × 100k ids (target ≤ 60 s) and the vertical job, threshold vs none
  npm run bench -- --only convergence  rounds each server optimizer needs to come within 0.002 AUC of centralized
  npm run bench -- --only dp           held-out AUC against each institution's ε with DP-SGD (z 0.8, 1, 1.5, 2, target ε 2.5)`;

export class BenchUsageError extends Error {
  constructor(
    message: string,
    /** --help: the usage was asked for, not a mistake. */
    readonly isHelp = false,
  ) {
    super(message);
  }
}

function readArguments(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        repeat: { type: 'string' },
        out: { type: 'string', default: 'out/bench/bench.json' },
        only: { type: 'string' },
        participants: { type: 'string' },
        'vertical-epochs': { type: 'string' },
        'convergence-rounds': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
  }
}

/** "3,10,20" → [3, 10, 20]: each an integer from 1 to 100 (each participant is its own OS process). */
function parseParticipantCounts(list: string): number[] {
  const counts = list.split(',').map((part) => part.trim()).filter(Boolean).map(Number);
  if (counts.length === 0 || counts.some((count) => !Number.isInteger(count) || count < 1 || count > 100)) {
    throw new BenchUsageError(`--participants must be a comma-separated list of integers from 1 to 100, got "${list}"\n${BENCH_USAGE}`);
  }
  return counts;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const parsed = readArguments(argv);
  const { values } = parsed;
  if (values.help) throw new BenchUsageError(BENCH_USAGE, true);
  const quick = values.quick;
  const repeat = values.repeat === undefined ? (quick ? 1 : 3) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new BenchUsageError(`--repeat must be an integer from 1 to 100, got ${values.repeat}\n${BENCH_USAGE}`);
  const sections = new Set<BenchSection>();
  for (const name of (values.only ?? BENCH_SECTIONS.join(',')).split(',').map((part) => part.trim()).filter(Boolean)) {
    if (!(BENCH_SECTIONS as readonly string[]).includes(name)) throw new BenchUsageError(`unknown section "${name}"\n${BENCH_USAGE}`);
    sections.add(name as BenchSection);
  }
  const verticalEpochs = values['vertical-epochs'] === undefined ? (quick ? 1 : 3) : Number(values['vertical-epochs']);
  if (!Number.isInteger(verticalEpochs) || verticalEpochs < 1 || verticalEpochs > 1_000) {
    throw new BenchUsageError(`--vertical-epochs must be an integer from 1 to 1000, got ${values['vertical-epochs']}\n${BENCH_USAGE}`);
  }
  const convergenceRounds = values['convergence-rounds'] === undefined ? (quick ? 2 : 40) : Number(values['convergence-rounds']);
  if (!Number.isInteger(convergenceRounds) || convergenceRounds < 1 || convergenceRounds > 1_000) {
    throw new BenchUsageError(`--convergence-rounds must be an integer from 1 to 1000, got ${values['convergence-rounds']}\n${BENCH_USAGE}`);
  }
  const memoryParticipants = values.participants === undefined ? undefined : parseParticipantCounts(values.participants);
  return {
    mode: quick ? 'quick' : 'full',
    repeat,
    outFile: values.out,
    sections,
    ckksSizes: quick ? [10_000] : [10_000, 100_000, 1_000_000],
    parallelParameters: quick ? 50_000 : 1_000_000,
    paillierSampleSize: quick ? 10 : 200,
    // Full: each institution's whole share of the data and a 98,305-parameter MLP (the 100k), 3 training rounds.
    bankJob: quick ? { rowsPerInstitution: 300, hiddenLayers: [], trainingRounds: 1 } : { rowsPerInstitution: 0, hiddenLayers: [1_536], trainingRounds: 3 },
    // Two hidden layers of 968 units on 62 inputs: 999,945 parameters, 123 ciphertexts (the native reference's 1M); 2,000 rows per institution, 2 rounds.
    bankJobLarge: quick ? null : { rowsPerInstitution: 2_000, hiddenLayers: [968, 968], trainingRounds: 2 },
    roundParameters: quick ? 10_000 : 100_000,
    roundParticipants: 3,
    memoryParameters: quick ? 10_000 : 1_000_000,
    // Each participant is its own OS process: the quick run keeps npm test short.
    memoryParticipants: memoryParticipants ?? (quick ? [2, 4] : [3, 10, 20]),
    memoryLimitSeconds: quick ? 60 : 300,
    thresholdParameters: quick ? 10_000 : 1_000_000,
    thresholdParties: 3,
    tofnParties: [3, 5, 10],
    // Quick: PSI on 2,000 ids and the vertical job on the table's first 3,000 customers (one batch per epoch).
    vertical: { psiIds: quick ? 2_000 : 100_000, maxCustomers: quick ? 3_000 : 0, epochs: verticalEpochs },
    // Full: the demo's whole split, fedavg also under threshold CKKS; quick: 300 rows per institution, custody none only.
    convergence: { maxRounds: convergenceRounds, rowsPerInstitution: quick ? 300 : 0, withThreshold: !quick },
    // Full: the demo's whole split, 20 rounds (the recipe), no DP, z 0.8/1/1.5/2 and targetEpsilon 2.5.
    differentialPrivacy: quick ? { rounds: 2, rowsPerInstitution: 300, variants: [null, { noiseMultiplier: 1 }] } : { rounds: 20, rowsPerInstitution: 0, variants: DP_VARIANTS },
  };
}
