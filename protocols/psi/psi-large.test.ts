import { describe, expect, it } from 'vitest';
import { runLocalPsi } from './local-run.js';
import { PsiParty } from './psi-party.js';
import { PsiWorkerPool } from './psi-worker-pool.js';
import { psiSettingsSchema } from './settings.js';

const IDS = 20_000;

/** 60 % shared by all, 20 % shared with the next party only, 20 % own; rows rotated per party. */
function partyIds(party: number): string[] {
  const ids = Array.from({ length: IDS }, (_, row) => {
    if (row < IDS * 0.6) return `C${row}`;
    if (row < IDS * 0.8) return `P${party}-${row}`;
    return `P${(party + 2) % 3}-${row - IDS * 0.2}`; // the previous party's "next only" ids
  });
  const shift = party * 4999;
  return [...ids.slice(shift), ...ids.slice(0, shift)];
}

describe('PSI, 3 parties × 20,000 ids with worker pools', () => {
  it('aligns exactly the ids all three hold, in one common order', { timeout: 300_000 }, async () => {
    const pools = await Promise.all([0, 1, 2].map(() => PsiWorkerPool.create({ workers: 2 })));
    try {
      const settings = psiSettingsSchema.parse({ padTo: 21_000 });
      const sets = [0, 1, 2].map(partyIds);
      const parties = sets.map((ids, index) => new PsiParty({ jobId: 'large', participantId: `p${index}`, ids, settings, pool: pools[index] as PsiWorkerPool }));
      const { alignments } = await runLocalPsi(parties);
      const orders = sets.map((ids, index) => Array.from(alignments.get(`p${index}`)?.rowsInCommonOrder ?? [], (row) => ids[row]));
      expect(orders[0]).toHaveLength(IDS * 0.6);
      expect(new Set(orders[0])).toEqual(new Set(Array.from({ length: IDS * 0.6 }, (_, row) => `C${row}`)));
      expect(orders[1]).toEqual(orders[0]);
      expect(orders[2]).toEqual(orders[0]);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });
});
