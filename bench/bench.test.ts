import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scaledMs } from '../test/support/time-scale.js';
import { BENCH_SECTIONS } from './bench-options.js';

const RUN_BENCH = fileURLToPath(new URL('./run-bench.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
// What `--quick` needs on a quiet machine, times HEFL_TEST_TIME_SCALE.
const LIMIT_MS = scaledMs(90_000);
// The vertical section's PSI on 3 x 2,000 ids: a few seconds.
const VERTICAL_LIMIT_MS = scaledMs(60_000);

const figure = z.object({ unit: z.string().min(1), median: z.number(), samples: z.array(z.number()).min(1) });
const stage = z.object({ seconds: figure, paramsPerSecond: figure });
const ckksSize = z.object({
  parameterCount: z.number().int().positive(),
  ciphertextCount: z.number().int().positive(),
  encodeEncryptSerialize: stage,
  serialize: stage,
  loadValidate: stage,
  homomorphicAddOnly: stage,
  aggregate3: stage,
  aggregate10: stage,
  decryptDecode: stage,
  wireBytesPerParameter: figure,
  float32Ratio: figure,
  maxAbsoluteError: z.number().min(0).max(1e-3),
});
const benchReport = z.object({
  format: z.literal('hefl-bench/1'),
  mode: z.literal('quick'),
  repeat: z.literal(1),
  machine: z.object({ cpuCount: z.number().int().positive(), cpuModel: z.string(), nodeVersion: z.string().startsWith('v'), totalMemoryBytes: z.number().positive() }),
  ckks: z.object({ slotCount: z.literal(4096), sizes: z.array(ckksSize).min(1) }),
  parallelEncryption: z.object({
    workers: z.number().int().positive(),
    poolParamsPerSecond: figure,
    singleThreadParamsPerSecond: figure,
    speedUp: figure,
    ratioToNativeSeal: figure,
    // Both parameter sets, each against its own native reference (bench/native-seal-reference.ts).
    versusNative: z
      .array(z.object({ poolSeconds: figure, singleThreadSeconds: figure, singleThreadSerializeSeconds: figure, poolVersusNative: figure, singleThreadVersusNative: figure }))
      .length(2),
    maxChunksAhead: z.number().int().min(1),
    maxAbsoluteError: z.number().min(0).max(1e-3),
    decrypt: z.object({ poolParamsPerSecond: figure, speedUp: figure, maxAbsoluteError: z.number().min(0).max(1e-3) }),
    decryptionShare: z.object({ poolParamsPerSecond: figure, speedUp: figure, maxAbsoluteError: z.number().min(0).max(1e-3) }),
  }),
  paillier: z.object({
    keyBits: z.literal(2048),
    encryptSecondsPerParameter: figure,
    add3SecondsPerParticipantParameter: figure,
    add10SecondsPerParticipantParameter: figure,
    decryptSecondsPerParameter: figure,
    wireBytesPerParameter: figure,
    maxAbsoluteError: z.number().min(0).max(1e-6),
  }),
  ckksVersusPaillier: z.object({ encrypt: figure, aggregate3: figure, aggregate10: figure, addOnly: figure, decrypt: figure, wireBytes: figure }),
  bankJob: z.union([
    z.object({ status: z.literal('skipped'), reason: z.string() }),
    z.object({
      status: z.literal('measured'),
      // Stage times from the product's log lines: threshold has a joint decryption, none does not.
      encrypted: z.object({
        custody: z.literal('threshold'),
        trainingRoundSeconds: figure,
        bytesReceivedPerTrainingRound: figure,
        stages: z.object({ localTrainingMs: figure, encryptionMs: figure, uploadMs: figure, collectMs: figure, decryptionSharesMs: figure, combineMs: figure, evaluationMs: figure, totalMs: figure }),
      }),
      plaintext: z.object({
        custody: z.literal('none'),
        trainingRoundSeconds: figure,
        bytesReceivedPerTrainingRound: figure,
        stages: z.object({ localTrainingMs: figure, collectMs: figure, decryptionSharesMs: z.null(), totalMs: figure }),
      }),
      encryptedOverPlaintext: figure,
      firstRoundEncryptedOverPlaintext: figure,
    }),
  ]),
  // Full mode only: --quick reports the section skipped.
  bankJobLarge: z.object({ status: z.literal('skipped'), reason: z.string() }),
  syntheticRound: z.object({
    participants: z.literal(3),
    encryptedRoundSeconds: figure,
    plaintextTransferSeconds: figure,
    plaintextFedAvgSeconds: figure,
    plaintextTotalSeconds: figure,
    encryptedOverPlaintext: figure,
  }),
  coordinatorMemory: z.object({
    cases: z
      .array(
        z.object({
          status: z.literal('measured'),
          participants: z.number(),
          startupRssBytes: figure,
          peakRssBytes: figure,
          peakGrowthBytes: figure,
          maxRssBytes: figure,
          trainingRoundSeconds: figure,
          encryptedModelBytes: z.number().positive(),
          peakBoundBytes: z.number().positive(),
          withinBound: z.boolean(),
        }),
      )
      .length(2),
  }),
  // 'failed' means the threshold module exists but the bench could not measure it: that is a bug to see.
  threshold: z.object({ status: z.enum(['measured', 'not-built']) }),
});

const psiCase = z.object({
  status: z.literal('measured'),
  intersectionSize: z.number().int().positive(),
  totalSeconds: figure,
  bytesSentPerParty: z.record(z.string(), z.number().int().positive()),
  coordinatorBytesSent: z.number().int().positive(),
  withinTarget: z.null(),
});
const custodyRun = z.object({ epochSeconds: figure, coordinatorBytesPerEpoch: figure, allPartiesEgressBytesPerEpoch: figure, finalValidationAuc: figure });
const verticalReport = z.object({
  vertical: z.object({
    // 3 × 2,000 ids, 70 % shared, padTo 2,200: every party sends its own list and two hops of 2,200 × 32 bytes.
    psi: psiCase.extend({ intersectionSize: z.literal(1_400), bytesSentPerParty: z.record(z.string(), z.literal(3 * 2_200 * 32)) }),
    psiBankMarketing: z.union([psiCase, z.object({ status: z.literal('skipped'), reason: z.string() })]),
    training: z.union([
      z.object({ status: z.literal('skipped'), reason: z.string() }),
      z.object({
        status: z.literal('measured'),
        epochs: z.literal(1),
        threshold: custodyRun.extend({ custody: z.literal('threshold') }),
        none: custodyRun.extend({ custody: z.literal('none') }),
        secondsThresholdOverNone: figure,
        coordinatorBytesThresholdOverNone: figure,
        partyEgressThresholdOverNone: figure,
      }),
    ]),
  }),
});

/** Every { unit, median, samples } anywhere in the report, with its path. */
function figuresIn(value: unknown, path = '$'): [string, z.infer<typeof figure>][] {
  if (typeof value !== 'object' || value === null) return [];
  const asFigure = figure.safeParse(value);
  if (asFigure.success) return [[path, asFigure.data]];
  return Object.entries(value).flatMap(([key, child]) => figuresIn(child, `${path}.${key}`));
}

// The vertical section spawns two whole vertical jobs (8 processes): its own smoke test below; the
// convergence section trains whole federations: bench/convergence.test.ts runs it on a tiny dataset.
const SECTIONS_BUT_VERTICAL = BENCH_SECTIONS.filter((section) => section !== 'vertical' && section !== 'convergence' && section !== 'dp').join(',');

function expectPositiveFigures(figures: readonly [string, z.infer<typeof figure>][], repeat: number): void {
  for (const [path, value] of figures) {
    // A stage's duration may round to 0 ms (custody none has no encryption to wait on); every other figure must be positive.
    const positive = path.includes('.stages.') ? value.median >= 0 : value.median > 0;
    expect(Number.isFinite(value.median) && positive, `${path} median ${value.median}`).toBe(true);
    expect(value.samples, path).toHaveLength(repeat);
    for (const sample of value.samples) expect(Number.isFinite(sample), `${path} sample ${sample}`).toBe(true);
  }
}

function runQuickBench(outFile: string, sections: string, limitMs: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_BENCH, '--quick', '--only', sections, '--out', outFile], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // Killed a little before the test's own limit, so a hang still reports the bench's stderr.
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs - scaledMs(5_000));
    child.once('error', reject);
    // 'close', not 'exit': the tables may still be in the stdout pipe when the process exits.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench -- --quick', () => {
  let directory: string | undefined;
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it(
    'prints the tables and writes a JSON report whose every figure has a positive finite median',
    async () => {
      directory = await mkdtemp(join(tmpdir(), 'hefl-bench-test-'));
      const outFile = join(directory, 'bench.json');
      const run = await runQuickBench(outFile, SECTIONS_BUT_VERTICAL, LIMIT_MS);
      expect(run.code, run.stderr.slice(-2_000)).toBe(0);
      expect(run.stdout).toMatch(/CKKS throughput/);
      expect(run.stdout).toMatch(/Parallel CKKS encryption/);
      expect(run.stdout).toMatch(/Parallel CKKS decryption/);
      expect(run.stdout).toMatch(/Threshold/);

      const report = benchReport.parse(JSON.parse(await readFile(outFile, 'utf8')));
      const figures = figuresIn(report);
      expect(figures.length).toBeGreaterThan(40);
      expectPositiveFigures(figures, report.repeat);
    },
    LIMIT_MS,
  );

  it(
    'the vertical section: PSI figures; without the data it says why it skips the vertical jobs',
    async () => {
      directory ??= await mkdtemp(join(tmpdir(), 'hefl-bench-test-'));
      const outFile = join(directory, 'vertical.json');
      // The vertical jobs themselves run in test/vertical-processes.test.ts; here only the section's
      // PSI figures and its skip path, to keep the suite short.
      const run = await runQuickBench(outFile, 'vertical', VERTICAL_LIMIT_MS, { HEFL_BANK_MARKETING_CSV: join(directory, 'no-such-data.csv.gz') });
      expect(run.code, run.stderr.slice(-2_000)).toBe(0);
      expect(run.stdout).toMatch(/Private set intersection/);
      expect(run.stdout).toMatch(/Vertical logistic regression/);
      const raw: unknown = JSON.parse(await readFile(outFile, 'utf8'));
      const report = verticalReport.parse(raw);
      expect(report.vertical.psi.totalSeconds.median).toBeGreaterThan(0);
      expect(report.vertical.training).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/bank-marketing data not found/) });
      expectPositiveFigures(figuresIn(raw), 1);
    },
    VERTICAL_LIMIT_MS,
  );
});
