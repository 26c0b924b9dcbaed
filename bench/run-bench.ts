/**
 * `npm run bench`: HEFL's performance figures — CKKS stage throughput, wire size, Paillier
 * comparison, rounds over gRPC, coordinator memory, t-of-N threshold custody, vertical learning (PSI; threshold CKKS vs custody
 * none), rounds to the centralized AUC per server optimizer — as tables on stdout and JSON (every sample plus medians) in --out. Not part of `npm test`; bench/bench.test.ts smoke-runs --quick.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBankJob } from './bank-job-end-to-end.js';
import { BenchUsageError, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { BENCH_REPORT_FORMAT, type BenchReport } from './bench-report.js';
import { compareCkksWithPaillier } from './ckks-paillier-comparison.js';
import { measureCkksThroughput } from './ckks-throughput.js';
import { measureConvergence } from './convergence.js';
import { measureDifferentialPrivacy } from './differential-privacy.js';
import { measureCoordinatorMemory } from './coordinator-memory.js';
import { measureSyntheticRound } from './in-process-round.js';
import { machineInfo } from './machine-info.js';
import { measureParallelEncryption } from './parallel-encryption.js';
import { measurePaillier } from './paillier-comparison.js';
import { renderReport } from './render-report.js';
import { measureThresholdCosts } from './threshold-costs.js';
import { measureTofnCosts } from './tofn-costs.js';
import { measureVertical } from './vertical-section.js';

/** Runs the selected sections in turn; `onProgress` gets one line per step (stderr in the CLI). */
export async function runBench(options: BenchOptions, onProgress: (line: string) => void): Promise<BenchReport> {
  const started = performance.now();
  const machine = machineInfo();
  const selected = (section: Parameters<BenchOptions['sections']['has']>[0]): boolean => options.sections.has(section);
  const ckks = selected('ckks') ? await measureCkksThroughput(options.ckksSizes, options.repeat, onProgress) : null;
  const parallelEncryption = selected('parallel') ? await measureParallelEncryption(options.parallelParameters, options.repeat, onProgress) : null;
  const paillier = selected('paillier') ? await measurePaillier(options.paillierSampleSize, options.repeat, onProgress) : null;
  const largestCkks = ckks?.sizes.at(-1);
  const syntheticRound = selected('round')
    ? await measureSyntheticRound(options.roundParameters, options.roundParticipants, options.repeat, onProgress)
    : null;
  const bankJob = selected('bank-job') ? await measureBankJob(options.bankJob, options.repeat, onProgress) : null;
  const bankJobLarge = !selected('bank-job-1m')
    ? null
    : options.bankJobLarge
      ? await measureBankJob(options.bankJobLarge, options.repeat, onProgress)
      : ({ status: 'skipped', reason: '--quick: the 1M-parameter job runs in full mode only (bank-job runs the same code)' } as const);
  const coordinatorMemory = selected('memory')
    ? await measureCoordinatorMemory(options.memoryParameters, options.memoryParticipants, options.repeat, options.memoryLimitSeconds, onProgress)
    : null;
  const threshold = selected('threshold')
    ? await measureThresholdCosts(options.thresholdParameters, options.thresholdParties, options.repeat, onProgress)
    : null;
  const tofn = selected('tofn') ? await measureTofnCosts(options.tofnParties, options.repeat, onProgress) : null;
  const vertical = selected('vertical') ? await measureVertical(options.vertical, options.repeat, onProgress) : null;
  // Deterministic (seeded training, custody none): one run of each federation, whatever --repeat says.
  const convergence = selected('convergence') ? await measureConvergence(options.convergence, onProgress) : null;
  const differentialPrivacy = selected('dp') ? await measureDifferentialPrivacy(options.differentialPrivacy, onProgress) : null;
  return {
    format: BENCH_REPORT_FORMAT,
    createdAt: new Date().toISOString(),
    mode: options.mode,
    repeat: options.repeat,
    wallSeconds: (performance.now() - started) / 1000,
    machine,
    ckks,
    parallelEncryption,
    paillier,
    ckksVersusPaillier: largestCkks && paillier ? compareCkksWithPaillier(largestCkks, paillier) : null,
    bankJob,
    bankJobLarge,
    syntheticRound,
    coordinatorMemory,
    threshold,
    tofn,
    vertical,
    convergence,
    differentialPrivacy,
  };
}

/** The CLI: parse, run, print the tables, write the JSON. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      (error.isHelp ? process.stdout : process.stderr).write(`${error.message}\n`);
      return error.isHelp ? 0 : 2;
    }
    throw error;
  }
  const started = performance.now();
  const report = await runBench(options, (line) => {
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  });
  process.stdout.write(renderReport(report));
  const outFile = resolve(options.outFile);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nJSON written to ${outFile}\n`);
  if (report.differentialPrivacy?.status === 'measured') {
    const chartFile = join(dirname(outFile), 'dp-auc-vs-epsilon.svg');
    await writeFile(chartFile, report.differentialPrivacy.chartSvg);
    process.stdout.write(`AUC-against-ε chart written to ${chartFile}\n`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // gRPC channels and the SEAL wasm runtime can keep the event loop alive.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
