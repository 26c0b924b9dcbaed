/**
 * The PSI acceptance bench: three parties with N ids each (default 100,000; ~70 % of each party's ids
 * are shared by all three), padTo 1.1·N, the whole protocol in one process with one worker pool per
 * party (runPsiOnce). Prints seconds per phase and in total, bytes each party sent, and the hashing
 * cost per id on one thread. run-bench.ts's vertical section measures the same run (bench/psi-run.ts).
 *
 *   scripts/with-node-22.sh node --import tsx bench/psi-bench.ts [--ids 100000] [--workers 2]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { hashIdsToCurve, psiDst } from '../protocols/psi/hash-to-curve.js';
import type { PsiSettings } from '../protocols/psi/index.js';
import { runPsiOnce, syntheticPartyIds } from './psi-run.js';

const { values } = parseArgs({ options: { ids: { type: 'string', default: '100000' }, workers: { type: 'string' } } });
const count = Number(values.ids);
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--ids must be a positive integer, got ${values.ids}`);
const workers = values.workers === undefined ? undefined : Number(values.workers);

function hashingCostMicroseconds(): number {
  const sample = Array.from({ length: 2000 }, (_, index) => `CUST-${index}`);
  const dst = psiDst('bench');
  hashIdsToCurve(sample.slice(0, 200), dst); // warm-up
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const start = performance.now();
    hashIdsToCurve(sample, dst);
    runs.push(((performance.now() - start) * 1000) / sample.length);
  }
  return runs.sort((a, b) => a - b)[2] as number;
}

const settings: PsiSettings = { normalisation: { trim: true, caseFold: false, removeCharacters: '', digitsOnly: false }, padTo: Math.round(count * 1.1) };
console.log(`PSI bench: 3 parties × ${count} ids, padTo ${settings.padTo}, ${os.availableParallelism()} cores, ${new Date().toISOString()}`);
console.log(`hash to curve (RFC 9380, one thread, median of 5): ${hashingCostMicroseconds().toFixed(1)} µs/id`);

const parties = new Map(['bank', 'gov', 'shop'].map((participantId, index) => [participantId, syntheticPartyIds(count, index)]));
const result = await runPsiOnce({ parties, settings, ...(workers === undefined ? {} : { workers }) });
console.log(`worker pools: ${result.workersPerParty} workers each, started in ${result.poolStartSeconds.toFixed(2)} s`);
for (const [phase, seconds] of result.phaseSeconds) console.log(`  ${phase.padEnd(14)} ${seconds.toFixed(2)} s`);
console.log(`total (pools included): ${result.totalSeconds.toFixed(2)} s`);
for (const [participantId, bytes] of result.bytesSent) console.log(`  ${participantId} sent ${(bytes / 1e6).toFixed(2)} MB`);
console.log(`  coordinator sent ${(result.coordinatorBytesSent / 1e6).toFixed(2)} MB`);
console.log(`intersection: ${result.intersectionSizes.join(' / ')} (expected ${Math.round(count * 0.7)})`);
