/**
 * One PSI run as the acceptance bench measures it: every party's worker pool started, the whole
 * protocol in one process (runLocalPsi), the pools closed. Shared by bench/psi-bench.ts (the CLI) and
 * the vertical section of run-bench.ts.
 */
import { PsiParty, PsiWorkerPool, runLocalPsi, type PsiSettings } from '../protocols/psi/index.js';

export interface PsiRunInput {
  /** Party id → its ids (rows in its own order). */
  readonly parties: ReadonlyMap<string, readonly string[]>;
  readonly settings: PsiSettings;
  /** Worker threads per party pool (default: the pool's own default). */
  readonly workers?: number;
  readonly jobId?: string;
}

export interface PsiRunOutput {
  /** Pools started + protocol + alignment: what a party waits for on this machine. */
  readonly totalSeconds: number;
  readonly poolStartSeconds: number;
  readonly workersPerParty: number;
  /** 'own lists', 'hop 1' …, 'intersection', 'alignment'. */
  readonly phaseSeconds: ReadonlyMap<string, number>;
  /** Bytes each party sent (its own list and its hops). */
  readonly bytesSent: ReadonlyMap<string, number>;
  readonly coordinatorBytesSent: number;
  /** The intersection size each party found (all equal when the run is right). */
  readonly intersectionSizes: readonly number[];
}

/** Party k of the synthetic case: the shared ~70 % (same ids for all), then its own, in a party-specific row order. */
export function syntheticPartyIds(count: number, party: number, sharedFraction = 0.7): string[] {
  const shared = Math.round(count * sharedFraction);
  const ids = Array.from({ length: count }, (_, row) => (row < shared ? `CUST-${String(row).padStart(9, '0')}` : `CUST-${party + 1}${String(row).padStart(8, '0')}`));
  // A deterministic, party-specific rotation: rows are not aligned across parties.
  const shift = (party * 7919) % count;
  return [...ids.slice(shift), ...ids.slice(0, shift)];
}

export async function runPsiOnce(input: PsiRunInput): Promise<PsiRunOutput> {
  const started = performance.now();
  const pools = await Promise.all([...input.parties.keys()].map(() => PsiWorkerPool.create(input.workers === undefined ? {} : { workers: input.workers })));
  const poolStartSeconds = (performance.now() - started) / 1000;
  try {
    const parties = [...input.parties].map(
      ([participantId, ids], index) => new PsiParty({ jobId: input.jobId ?? 'bench-job', participantId, ids, settings: input.settings, pool: pools[index] as PsiWorkerPool }),
    );
    try {
      const result = await runLocalPsi(parties);
      return {
        totalSeconds: (performance.now() - started) / 1000,
        poolStartSeconds,
        workersPerParty: pools[0]?.workerCount ?? 0,
        phaseSeconds: result.phaseSeconds,
        bytesSent: result.bytesSent,
        coordinatorBytesSent: result.coordinatorBytesSent,
        intersectionSizes: [...result.alignments.values()].map((alignment) => alignment.intersectionSize),
      };
    } finally {
      for (const party of parties) party[Symbol.dispose]();
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
