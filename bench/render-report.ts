import type { BenchReport } from './bench-report.js';
import type { CkksSizeResult, StageFigures } from './ckks-throughput.js';
import type { ParallelStage } from './parallel-encryption.js';
import { deriveFigure, type Figure } from './figures.js';
import { formatBytes, formatFigure, formatQuantity, formatRatio, formatSeconds, formatTable, type Table } from './format-table.js';
import { convergenceTables } from './convergence-report.js';
import { differentialPrivacyTables } from './differential-privacy-report.js';
import { verticalTables } from './vertical-report.js';
import { versusNativeTable } from './versus-native-report.js';
import { bankJobStagesTable } from './bank-job-report.js';
import { tofnTable } from './tofn-costs.js';

const cell = formatFigure;

const perSecond = (value: number): string => `${formatQuantity(value)}/s`;
const plain = (value: number): string => value.toPrecision(3);
const microseconds = (seconds: number): string => `${formatQuantity(seconds * 1e6)} µs`;

function ckksTable(report: BenchReport): Table | undefined {
  const ckks = report.ckks;
  if (!ckks) return undefined;
  const { polyModulusDegree, coeffModulusBits, scaleBits } = ckks.parameters;
  const row = (label: string, pick: (size: CkksSizeResult) => StageFigures): string[] => [label, ...ckks.sizes.map((size) => cell(pick(size).paramsPerSecond, perSecond))];
  return {
    title: `CKKS throughput, params/s (N=${polyModulusDegree}, primes ${coeffModulusBits.join('+')}, scale 2^${scaleBits}, ${ckks.slotCount} slots × 2 values, public-key encryption; median [min–max] of ${report.repeat})`,
    headers: ['stage', ...ckks.sizes.map((size) => `${formatQuantity(size.parameterCount)} params (${size.ciphertextCount} ct)`)],
    rows: [
      row('encode+encrypt+serialize (encryptVector)', (size) => size.encodeEncryptSerialize),
      row('  of which serialize (zstd)', (size) => size.serialize),
      row('load+validate (loadCiphertext)', (size) => size.loadValidate),
      row('homomorphic add only (addInPlace)', (size) => size.homomorphicAddOnly),
      row('aggregate 3 participants (N·P/s)', (size) => size.aggregate3),
      row('aggregate 10 participants (N·P/s)', (size) => size.aggregate10),
      row('decrypt+decode (decryptVector)', (size) => size.decryptDecode),
      ['aggregate 10 participants, wall', ...ckks.sizes.map((size) => cell(size.aggregate10.seconds, formatSeconds))],
      ['wire bytes / parameter', ...ckks.sizes.map((size) => cell(size.wireBytesPerParameter, plain))],
      ['  vs float32 (4 B)', ...ckks.sizes.map((size) => cell(size.float32Ratio, formatRatio))],
      ['wire bytes / parameter, seeded (single-key custody: symmetric, c1 as a seed)', ...ckks.sizes.map((size) => (size.seededWireBytesPerParameter ? cell(size.seededWireBytesPerParameter, plain) : '-'))],
      ['max |decrypted − expected|', ...ckks.sizes.map((size) => size.maxAbsoluteError.toExponential(1))],
    ],
    notes: ['aggregate = EncryptedSumAggregator: per chunk load+validate, journal write, add; then finalize (serialize the sum).'],
  };
}

function parallelTables(report: BenchReport): Table[] {
  const parallel = report.parallelEncryption;
  if (!parallel) return [];
  const { polyModulusDegree, coeffModulusBits, scaleBits } = parallel.parameters;
  const threshold = parallel.decryptionShare.parameters;
  const encryption: Table = {
    title:
      `Parallel CKKS encryption, ${formatQuantity(parallel.parameterCount)} params (${parallel.ciphertextCount} ct; N=${polyModulusDegree}, ` +
      `primes ${coeffModulusBits.join('+')}, scale 2^${scaleBits}; median [min–max] of ${report.repeat})`,
    headers: ['path', 'time', 'params/s', 'cores used', 'CPU s / M params', 'ciphertext held'],
    rows: [
      [
        'one thread (encryptVector)',
        cell(parallel.singleThreadSeconds, formatSeconds),
        cell(parallel.singleThreadParamsPerSecond, perSecond),
        cell(parallel.singleThreadCoresUsed, plain),
        cell(parallel.singleThreadCpuSecondsPerMillion, plain),
        cell(parallel.singleThreadHeldBytes, formatBytes),
      ],
      [
        `CkksWorkerPool, ${parallel.workers} workers (encryptChunks)`,
        cell(parallel.poolSeconds, formatSeconds),
        cell(parallel.poolParamsPerSecond, perSecond),
        cell(parallel.poolCoresUsed, plain),
        cell(parallel.poolCpuSecondsPerMillion, plain),
        `≤ ${formatBytes(parallel.poolHeldBytesBound)}`,
      ],
      ['  speed-up over one thread', cell(parallel.speedUp, formatRatio)],
      parallel.nativeSeal && parallel.ratioToNativeSeal
        ? [`  vs native SEAL, one core, same parameters/packing/stages (${parallel.nativeSeal.totalSeconds.toFixed(2)} s per 123 ct; > 1: faster)`, cell(parallel.ratioToNativeSeal, formatRatio)]
        : ['  vs native SEAL', 'no native reference for these parameters'],
      ['pool start (workers load SEAL + key)', cell(parallel.poolStartSeconds, formatSeconds)],
      ['pool peak RSS growth', cell(parallel.poolPeakExtraRssBytes, formatBytes)],
      ['max |decrypted − input|', parallel.maxAbsoluteError.toExponential(1)],
    ],
    notes: [
      'native SEAL: bench/native-seal-reference.ts (issue #19: SEAL 4.1.2 -O3 -march=native, one core, 2 values per slot, encode+encrypt+serialize zstd; not re-measured here); see the table below.',
      `pool: a fresh pool per run, warmed with 8 chunks (untimed); the consumer takes the chunks in order and drops them (a streaming participant).`,
      `ciphertext held: the pool path holds at most lookAhead = ${parallel.lookAhead} chunks (in work or ready) + the one being sent (seen: ${parallel.maxChunksAhead} in work); one thread holds them all.`,
      'pool peak RSS growth: peak process RSS during the pool run − RSS before the pool started (worker isolates, their SEAL heaps, chunks in flight).',
      'cores used = process CPU time (every thread) / wall time: a pool well below its worker count means other processes held the cores;',
      "  CPU s / M params shows the pool's own cost against one thread's (its overhead: slicing, messages, the main thread).",
    ],
  };
  const stageRow = (label: string, stage: ParallelStage): string[] => [
    label,
    cell(stage.singleThreadSeconds, formatSeconds),
    cell(stage.poolSeconds, formatSeconds),
    cell(stage.poolParamsPerSecond, perSecond),
    cell(stage.speedUp, formatRatio),
    stage.maxAbsoluteError.toExponential(1),
  ];
  const decryption: Table = {
    title: `Parallel CKKS decryption, ${formatQuantity(parallel.parameterCount)} params, ${parallel.workers} workers (median [min–max] of ${report.repeat})`,
    headers: ['stage', 'one thread', 'CkksWorkerPool', 'pool params/s', 'speed-up', 'max |error|'],
    rows: [
      stageRow('decryptVector (single-key)', parallel.decrypt),
      stageRow('decryptionShares (threshold, 1 party)', parallel.decryptionShare),
    ],
    notes: [
      `single-key: the job parameters above; threshold: N=${threshold.polyModulusDegree}, primes ${threshold.coeffModulusBits.join('+')}, scale 2^${threshold.scaleBits}, ` +
        `smudging σ = 2^${parallel.decryptionShare.smudgingSigmaBits}; one thread = createDecryptionShare with a reused ThresholdCkksContext.`,
      "threshold error: the pool's shares of party a combined with party b's one-thread shares (combineDecryptionShares).",
    ],
  };
  const versusNative = versusNativeTable(parallel.versusNative, report.repeat);
  return versusNative ? [encryption, versusNative, decryption] : [encryption, decryption];
}

function paillierTable(report: BenchReport): Table | undefined {
  const { paillier, ckksVersusPaillier: comparison } = report;
  if (!paillier) return undefined;
  const versus = (value: Figure | undefined): string => (value ? `${cell(value, formatRatio)}  (Paillier ${formatRatio(1 / value.median)} slower)` : '-');
  return {
    title: `Paillier ${paillier.keyBits}-bit vs CKKS, per parameter (${paillier.sampleSize} values per run, extrapolated)`,
    headers: ['operation', 'Paillier per param', comparison ? `CKKS/Paillier time at ${formatQuantity(comparison.ckksParameterCount)} params` : 'CKKS/Paillier'],
    rows: [
      ['key generation (once)', cell(paillier.keyGenerationSeconds, formatSeconds), '-'],
      ['encode+encrypt', cell(paillier.encryptSecondsPerParameter, microseconds), versus(comparison?.encrypt)],
      ['aggregate 3 (per participant-param)', cell(paillier.add3SecondsPerParticipantParameter, microseconds), versus(comparison?.aggregate3)],
      ['aggregate 10 (per participant-param)', cell(paillier.add10SecondsPerParticipantParameter, microseconds), versus(comparison?.aggregate10)],
      ['  add only (CKKS addInPlace vs Paillier)', '', versus(comparison?.addOnly)],
      ['decrypt+decode', cell(paillier.decryptSecondsPerParameter, microseconds), versus(comparison?.decrypt)],
      ['wire bytes / parameter', cell(paillier.wireBytesPerParameter, plain), comparison ? cell(comparison.wireBytes, formatRatio) : '-'],
      ['WHOLE ROUND per parameter, 3 participants (3 encrypt + aggregate + 3 decrypt)', '', versus(comparison?.round3)],
    ],
    notes: [
      paillier.scheme,
      'CKKS aggregate includes load+validate+journal (the coordinator\'s real path); Paillier aggregate is the bare multiplications mod n².',
      `max |decrypted − expected| ${paillier.maxAbsoluteError.toExponential(1)}`,
    ],
  };
}

function endToEndTable(report: BenchReport): Table | undefined {
  const { bankJob, syntheticRound: round } = report;
  if (!bankJob && !round) return undefined;
  const rows: string[][] = [];
  const notes: string[] = [];
  if (bankJob?.status === 'measured') {
    const rowsText = bankJob.rowsPerInstitution > 0 ? `${bankJob.rowsPerInstitution} rows each` : 'whole institution shares';
    rows.push(
      [`WHOLE ROUND: bank job, 3 participant processes (${rowsText}), ${bankJob.modelParameters.toLocaleString('en-US')} params, threshold CKKS`, cell(bankJob.encrypted.trainingRoundSeconds, formatSeconds)],
      ['  the same job with HE switched off (custody none: float32, plain FedAvg)', cell(bankJob.plaintext.trainingRoundSeconds, formatSeconds)],
      ['  encrypted / plaintext, per training round (target ≤ 1.3)', cell(bankJob.encryptedOverPlaintext, formatRatio)],
      ['  first training round only: encrypted / plaintext', cell(bankJob.firstRoundEncryptedOverPlaintext, formatRatio)],
      ['  bytes received per training round: encrypted', cell(bankJob.encrypted.bytesReceivedPerTrainingRound, formatBytes)],
      ['  bytes received per training round: plaintext', cell(bankJob.plaintext.bytesReceivedPerTrainingRound, formatBytes)],
      ['  held-out AUC after the last round: encrypted', cell(bankJob.encrypted.finalHeldOutAuc, (value) => value.toFixed(4))],
      ['  held-out AUC after the last round: plaintext', cell(bankJob.plaintext.finalHeldOutAuc, (value) => value.toFixed(4))],
    );
    notes.push(
      `whole round = coordinator RoundSummary.seconds: round start → local training (tfjs, 1 epoch) → encryption → upload → aggregation → joint decryption → every evaluation reported; ${bankJob.trainingRounds} training rounds per job, the two custody modes back to back in each run.`,
    );
  } else if (bankJob) {
    rows.push(['bank job', `skipped: ${bankJob.reason}`]);
  }
  if (round) {
    rows.push(
      [`encrypted round, ${round.participants} × ${formatQuantity(round.parameterCount)} params over gRPC (round start → aggregate ready)`, cell(round.encryptedRoundSeconds, formatSeconds)],
      [`  bytes per participant`, formatBytes(round.encryptedBytesPerParticipant)],
      [`plaintext baseline: float32 upload over gRPC sink`, cell(round.plaintextTransferSeconds, formatSeconds)],
      [`plaintext baseline: FedAvg (federatedAverageReference)`, cell(round.plaintextFedAvgSeconds, formatSeconds)],
      [`plaintext baseline total`, cell(round.plaintextTotalSeconds, formatSeconds)],
      [`  bytes per participant`, formatBytes(round.plaintextBytesPerParticipant)],
      ['encrypted / plaintext', cell(round.encryptedOverPlaintext, formatRatio)],
    );
    notes.push(
      'encrypted round: in-process Coordinator + gRPC server, clients submit pre-encrypted updates via GrpcFederationConnection.submitUpdate;',
      '  excludes participant encryption and decryption (see the CKKS table). In-process clients share one HTTP/2 connection (grpc-js pool).',
      'transfer-only comparison (no training): its plaintext side is the same float32 bytes streamed over loopback to a standalone',
      '  gRPC sink defined in bench/, plus plaintext FedAvg in-process; the WHOLE ROUND rows above compare the product with itself (custody none).',
    );
  }
  return { title: `End to end over gRPC on 127.0.0.1 (median [min–max] of ${report.repeat})`, headers: ['what', 'time'], rows, notes };
}

function memoryTable(report: BenchReport): Table | undefined {
  const memory = report.coordinatorMemory;
  if (!memory) return undefined;
  return {
    title: `Coordinator peak RSS, ${formatQuantity(memory.parameterCount)} params (coordinator and every participant each in its own process)`,
    headers: ['participants', 'RSS at start', 'peak RSS (VmHWM)', 'peak − startup peak', 'bound: start + 64 MiB + 3 × model', 'within', 'maxRSS (see note)', 'round start → aggregate'],
    rows: memory.cases.map((entry) =>
      entry.status === 'measured'
        ? [
            String(entry.participants),
            cell(entry.startupRssBytes, formatBytes),
            cell(entry.peakRssBytes, formatBytes),
            cell(entry.peakGrowthBytes, formatBytes),
            `${formatBytes(entry.peakBoundBytes)} (model ${formatBytes(entry.encryptedModelBytes)})`,
            entry.withinBound ? 'yes' : 'NO',
            cell(entry.maxRssBytes, formatBytes),
            cell(entry.trainingRoundSeconds, formatSeconds),
          ]
        : [String(entry.participants), `capped at ${entry.limitSeconds} s`, '-', '-', '-', '-', '-', entry.reason],
    ),
    notes: [
      'peak RSS = VmHWM of the coordinator process itself. process.resourceUsage().maxRSS is shown too, but on Linux it carries over',
      '  the spawning (bench) process\'s RSS at fork, so it is an upper bound, not the coordinator\'s own peak.',
      'the job is a statistics round + one training round; each participant process submits the same pre-encrypted update',
      '  (encrypted once, before the clock), so 20 processes fit on 2 cores; the bound is the issue\'s: a fixed base (RSS at start + 64 MiB',
      '  for a running job\'s buffers) + 3 × one encrypted model, however many participants (it says something only at 1M parameters, not in --quick).',
    ],
  };
}

function thresholdSection(report: BenchReport): string | undefined {
  const threshold = report.threshold;
  if (!threshold) return undefined;
  if (threshold.status === 'not-built') return 'Threshold decryption costs\n  threshold: not built yet';
  if (threshold.status === 'failed') return `Threshold decryption costs\n  threshold: FAILED — ${threshold.reason}`;
  const { polyModulusDegree, coeffModulusBits, scaleBits } = threshold.parameters;
  return formatTable({
    title:
      `Threshold (N-of-N) decryption, ${threshold.parties} parties, ${formatQuantity(threshold.parameterCount)} params ` +
      `(N=${polyModulusDegree}, primes ${coeffModulusBits.join('+')}, scale 2^${scaleBits}, smudging σ = 2^${threshold.smudgingSigmaBits})`,
    headers: ['step', 'time', 'params/s'],
    rows: [
      ['key share per party (createKeyShare)', cell(threshold.keyShareSecondsPerParty, formatSeconds), '-'],
      ['collective public key (combinePublicShares)', cell(threshold.combinePublicSharesSeconds, formatSeconds), '-'],
      ['encrypt under the collective key (one party)', cell(threshold.encryptSeconds, formatSeconds), cell(deriveFigure(threshold.encryptSeconds, 'params/s', (seconds) => threshold.parameterCount / seconds), perSecond)],
      ['partial decryption per party (createDecryptionShare)', cell(threshold.partialDecryptionSecondsPerParty, formatSeconds), cell(threshold.partialDecryptionParamsPerSecond, perSecond)],
      ['combination (combineDecryptionShares)', cell(threshold.combineSeconds, formatSeconds), cell(deriveFigure(threshold.combineSeconds, 'params/s', (seconds) => threshold.parameterCount / seconds), perSecond)],
      ['UPLOAD: encrypted update bytes / param (per party; target ≤ 32)', cell(threshold.uploadBytesPerParameter, plain), '-'],
      ['decryption phase: aggregate download bytes / param (per party)', cell(threshold.aggregateBytesPerParameter, plain), '-'],
      ['decryption phase: decryption share bytes / param (per party)', cell(threshold.decryptionShareBytesPerParameter, plain), '-'],
      ['public share bytes (per party)', formatBytes(threshold.publicShareBytes), '-'],
      ['max |decrypted − expected|', threshold.maxAbsoluteError.toExponential(1), '-'],
    ],
    notes: ['measured through protocols/ckks/threshold; the aggregate is EncryptedSumAggregator over the parties\' updates.'],
  });
}

function machineLine(report: BenchReport): string {
  const { machine } = report;
  return (
    `HEFL bench (${report.mode}, ${report.repeat} run${report.repeat === 1 ? '' : 's'} per figure) on ${machine.cpuCount} × ${machine.cpuModel}, ` +
    `${formatBytes(machine.totalMemoryBytes)} RAM, Node ${machine.nodeVersion}, ${machine.platform} ${machine.arch}; ` +
    `load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')}; took ${report.wallSeconds.toFixed(0)} s`
  );
}

/** The whole report as plain-text tables for stdout. */
export function renderReport(report: BenchReport): string {
  const tables = [
    ckksTable(report),
    ...parallelTables(report),
    paillierTable(report),
    endToEndTable(report),
    // The bank-job table above says when it skipped.
    bankJobStagesTable('Where a whole round goes, bank job', report.bankJob, report.repeat, { showSkipped: false }),
    bankJobStagesTable('WHOLE ROUND AT ~1M PARAMETERS, bank job', report.bankJobLarge, report.repeat),
    memoryTable(report),
    ...verticalTables(report),
    ...convergenceTables(report),
    ...differentialPrivacyTables(report),
  ].filter((table): table is Table => table !== undefined);
  const parts = [machineLine(report), ...tables.map(formatTable)];
  const threshold = thresholdSection(report);
  if (threshold) parts.push(threshold);
  const tofn = tofnTable(report.tofn ?? null);
  if (tofn) parts.push(typeof tofn === 'string' ? tofn : formatTable(tofn));
  return `${parts.join('\n\n')}\n`;
}
