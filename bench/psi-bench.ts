/**
 * The PSI acceptance bench: three parties with N ids each (default 100,000; ~70 % of each party's ids
 * are shared by all three), padTo 1.1·N, the whole protocol in one process with one worker pool per
 * party (runLocalPsi). Prints seconds per phase and in total (wall and CPU: the machine is shared, and
 * CPU seconds / cores is what an idle machine would take), bytes each party sent, and the hashing cost
 * per id on one thread; with --runs N the medians. Not part of run-bench.ts.
 *
 *   scripts/with-node-22.sh node --import tsx bench/psi-bench.ts [--ids 100000] [--workers 2] [--runs 3]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { hashIdsToCurve, psiDst } from '../protocols/psi/hash-to-curve.js';
import { PsiParty, PsiWorkerPool, runLocalPsi, type PsiSettings } from '../protocols/psi/index.js';

const { values } = parseArgs({ options: { ids: { type: 'string', default: '100000' }, workers: { type: 'string' }, runs: { type: 'string', default: '1' } } });
const count = Number(values.ids);
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--ids must be a positive integer, got ${values.ids}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer, got ${values.runs}`);
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
console.log(`PSI bench: 3 parties × ${count} ids, padTo ${settings.padTo}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]?.toFixed(2)}, ${new Date().toISOString()}`);
console.log(`hash to curve (RFC 9380, one thread, median of 5): ${hashingCostMicroseconds().toFixed(1)} µs/id`);

/** One whole run: fresh pools, fresh parties (fresh scalars). Wall and CPU seconds (all threads). */
async function runOnce(run: number): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const pools = await Promise.all([0, 1, 2].map(() => PsiWorkerPool.create(workers === undefined ? {} : { workers })));
  const poolSeconds = (performance.now() - started) / 1000;
  try {
    const parties = ['bank', 'gov', 'shop'].map((participantId, index) => new PsiParty({ jobId: `bench-job-${run}`, participantId, ids: partyIds(index), settings, pool: pools[index] as PsiWorkerPool }));
    const result = await runLocalPsi(parties);
    const wall = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpuBefore);
    const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
    console.log(`run ${run + 1}: ${pools[0]?.workerCount} workers per party, pools started in ${poolSeconds.toFixed(2)} s`);
    for (const [phase, seconds] of result.phaseSeconds) console.log(`  ${phase.padEnd(14)} ${seconds.toFixed(2)} s`);
    console.log(`  total ${wall.toFixed(2)} s wall (pools included), ${cpu.toFixed(1)} s CPU (all threads), load average now ${os.loadavg()[0]?.toFixed(2)}`);
    for (const [participantId, bytes] of result.bytesSent) console.log(`  ${participantId} sent ${(bytes / 1e6).toFixed(2)} MB`);
    console.log(`  coordinator sent ${(result.coordinatorBytesSent / 1e6).toFixed(2)} MB`);
    const sizes = [...result.alignments.values()].map((alignment) => alignment.intersectionSize);
    console.log(`  intersection: ${sizes.join(' / ')} (expected ${Math.round(count * 0.7)})`);
    for (const party of parties) party[Symbol.dispose]();
    return { wall, cpu };
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const results: { wall: number; cpu: number }[] = [];
for (let run = 0; run < runs; run += 1) results.push(await runOnce(run));
console.log(`median of ${runs}: ${median(results.map((result) => result.wall)).toFixed(2)} s wall, ${median(results.map((result) => result.cpu)).toFixed(1)} s CPU`);
