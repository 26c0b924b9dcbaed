/**
 * The PSI acceptance bench: three parties with N ids each (default 100,000; ~70 % of each party's ids
 * are shared by all three), padTo 1.1·N, the whole protocol in one process with one worker pool per
 * party (runLocalPsi). Prints seconds per phase and in total, bytes each party sent, and the hashing
 * cost per id on one thread. Not part of run-bench.ts.
 *
 *   scripts/with-node-22.sh node --import tsx bench/psi-bench.ts [--ids 100000] [--workers 2]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { hashIdsToCurve, psiDst } from '../protocols/psi/hash-to-curve.js';
import { PsiParty, PsiWorkerPool, runLocalPsi, type PsiSettings } from '../protocols/psi/index.js';

const { values } = parseArgs({ options: { ids: { type: 'string', default: '100000' }, workers: { type: 'string' } } });
const count = Number(values.ids);
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--ids must be a positive integer, got ${values.ids}`);
const workers = values.workers === undefined ? undefined : Number(values.workers);

/** Party k: the shared 70 % (same ids for all), then 30 % of its own, in a party-specific row order. */
function partyIds(party: number): string[] {
  const shared = Math.round(count * 0.7);
  const ids = Array.from({ length: count }, (_, row) => (row < shared ? `CUST-${String(row).padStart(9, '0')}` : `CUST-${party + 1}${String(row).padStart(8, '0')}`));
  // A deterministic, party-specific rotation: rows are not aligned across parties.
  const shift = (party * 7919) % count;
  return [...ids.slice(shift), ...ids.slice(0, shift)];
}

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

const started = performance.now();
const pools = await Promise.all([0, 1, 2].map(() => PsiWorkerPool.create(workers === undefined ? {} : { workers })));
const poolSeconds = (performance.now() - started) / 1000;
try {
  const parties = ['bank', 'gov', 'shop'].map((participantId, index) => new PsiParty({ jobId: 'bench-job', participantId, ids: partyIds(index), settings, pool: pools[index] as PsiWorkerPool }));
  const result = await runLocalPsi(parties);
  const total = (performance.now() - started) / 1000;
  console.log(`worker pools: ${pools[0]?.workerCount} workers each, started in ${poolSeconds.toFixed(2)} s`);
  for (const [phase, seconds] of result.phaseSeconds) console.log(`  ${phase.padEnd(14)} ${seconds.toFixed(2)} s`);
  console.log(`total (pools included): ${total.toFixed(2)} s`);
  for (const [participantId, bytes] of result.bytesSent) console.log(`  ${participantId} sent ${(bytes / 1e6).toFixed(2)} MB`);
  console.log(`  coordinator sent ${(result.coordinatorBytesSent / 1e6).toFixed(2)} MB`);
  const sizes = [...result.alignments.values()].map((alignment) => alignment.intersectionSize);
  console.log(`intersection: ${sizes.join(' / ')} (expected ${Math.round(count * 0.7)})`);
  for (const party of parties) party[Symbol.dispose]();
} finally {
  await Promise.all(pools.map((pool) => pool.close()));
}
