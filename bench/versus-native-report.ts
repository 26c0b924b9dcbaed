import type { EncryptionVersusNative } from './encryption-versus-native.js';
import { formatFigure, formatQuantity, formatRatio, formatSeconds, type Table } from './format-table.js';

const cell = formatFigure;
const orDash = (value: Parameters<typeof formatFigure>[0] | null, format: (value: number) => string): string => (value ? cell(value, format) : '-');

/** HEFL (one thread, the pool) against native SEAL on one core, per parameter set, stage by stage. */
export function versusNativeTable(results: readonly EncryptionVersusNative[], repeat: number): Table | undefined {
  if (results.length === 0) return undefined;
  const rows: string[][] = [];
  for (const result of results) {
    const { native } = result;
    const primes = `${result.parameters.coeffModulusBits.join('+')}, 2^${result.parameters.scaleBits}`;
    rows.push(
      [
        `native SEAL, one core — ${primes}`,
        native ? formatSeconds(native.encodeEncryptSeconds) : '-',
        native ? formatSeconds(native.serializeSeconds) : '-',
        native ? formatSeconds(native.totalSeconds) : 'no reference',
        native ? `${formatQuantity(native.paramsPerSecond)}/s` : '-',
        '×1',
      ],
      [
        `  HEFL one thread (encryptVector)`,
        cell(result.singleThreadEncodeEncryptSeconds, formatSeconds),
        cell(result.singleThreadSerializeSeconds, formatSeconds),
        cell(result.singleThreadSeconds, formatSeconds),
        cell(result.singleThreadParamsPerSecond, (value) => `${formatQuantity(value)}/s`),
        orDash(result.singleThreadVersusNative, formatRatio),
      ],
      [
        `  HEFL CkksWorkerPool, ${result.workers} workers`,
        '(on the workers)',
        '(on the workers)',
        cell(result.poolSeconds, formatSeconds),
        cell(result.poolParamsPerSecond, (value) => `${formatQuantity(value)}/s`),
        orDash(result.poolVersusNative, formatRatio),
      ],
      [
        '  CPU seconds (every thread): one thread / pool',
        '',
        '',
        `${cell(result.singleThreadCpuSeconds, formatSeconds)} / ${cell(result.poolCpuSeconds, formatSeconds)}`,
        '',
        `${orDash(result.singleThreadCpuVersusNative, formatRatio)} / ${orDash(result.poolCpuVersusNative, formatRatio)}`,
      ],
      ['  one thread, stage by stage vs native', orDash(result.singleThreadEncodeEncryptVersusNative, formatRatio), orDash(result.singleThreadSerializeVersusNative, formatRatio), '', '', ''],
    );
  }
  const first = results[0] as EncryptionVersusNative;
  const loads = results.flatMap((result) => result.loadAverageBeforeRuns.map((load) => (load[0] as number).toFixed(2)));
  return {
    title: `Encryption vs native SEAL, like for like: ${formatQuantity(first.parameterCount)} params (${first.ciphertextCount} ct), N=8192, 2 values per slot, public key (median [min–max] of ${repeat})`,
    headers: ['path', 'encode+encrypt', 'serialize (zstd)', 'total', 'params/s', 'native s / HEFL s'],
    rows,
    notes: [
      'native: bench/native-seal-reference.ts — issue #19, Microsoft SEAL 4.1.2 -O3 -march=native, ONE core of this machine class, 123 ct = 1M params at',
      '  2 values per slot, public-key encryption, medians of 3 (not re-measured here). Ratios > 1: HEFL faster; at other sizes (--quick) per ciphertext.',
      "HEFL one thread: serialize = serializeCiphertext on the same ciphertexts loaded back, alone; encode+encrypt = encryptVector − that (2 encodes, 1 encrypt, pack).",
      'CPU seconds: process CPU time of the run; native ran on one core, so its seconds are its CPU seconds: the CPU ratio compares cost per parameter and moves less with load.',
      `1-minute load average before each run: ${loads.join(', ')} (a 2-core machine shared with other work: figures move with it).`,
    ],
  };
}
