import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { PRIVACY_SPENT } from '../protocols/ledger/privacy-spent.js';
import { runAuditCommand } from './run-audit-command.js';

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** `hefl audit verify` on two participants' ledgers signed with their real identity keys. */
async function audit(epsilons: Record<'bank' | 'shop', readonly number[]>, extra: string[] = []): Promise<{ code: number; output: string }> {
  directory ??= await mkdtemp(join(tmpdir(), 'hefl-audit-dp-'));
  const job = jobSpecSchema.parse({
    jobId: 'audit-dp',
    model: { kind: 'logistic-regression' },
    features: { numeric: ['x'], label: { column: 'y', positive: 1, negative: 0 } },
    training: { rounds: 2, differentialPrivacy: { noiseMultiplier: 1 } },
    federation: { participants: ['bank', 'shop'], minParticipants: 2 },
  });
  const keys = join(directory, `keys-${Math.random().toString(16).slice(2)}`);
  const folders = await initFederationKeys(job, keys);
  const ledgers: string[] = [];
  for (const id of ['bank', 'shop'] as const) {
    const { identityKey } = await readParticipantKeys(folders.participants[id] as string);
    const path = join(keys, `${id}-egress.jsonl`);
    await writeFile(path, '');
    const ledger = new LedgerWriter(path, id, identityKey as NonNullable<typeof identityKey>);
    epsilons[id].forEach((epsilon, index) =>
      ledger.recordBytes('egress', PRIVACY_SPENT, new Uint8Array(0), 'metadata', undefined, undefined, {
        round: index + 1, mechanism: 'record-level', epsilon, delta: 1e-5, maxEpsilon: 3, noiseMultiplier: 1, clipNorm: 1, sampleRate: 0.05, steps: 20 * (index + 1), roundSteps: 20,
      }),
    );
    ledgers.push(path);
  }
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    const code = await runAuditCommand(['verify', '--roster', join(folders.coordinator, 'keys.json'), ...extra, ...ledgers]);
    return { code, output: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('hefl audit verify with differential privacy', () => {
  it('reports each node\'s final ε and δ and verifies ledgers whose ε only rises within the budget', async () => {
    const { code, output } = await audit({ bank: [1.1, 1.7], shop: [0.9, 1.4] });
    expect(output).toContain('differential privacy, bank: ε 1.7 at δ 0.00001 after round 2 (record-level, z 1, C 1, q 0.05, 40 steps)');
    expect(output).toContain('differential privacy, shop: ε 1.4 at δ 0.00001 after round 2');
    expect(output).toContain('verdict: every ledger verifies');
    expect(code).toBe(0);
  }, 60_000);

  it('fails a ledger whose ε decreases or exceeds the recorded budget, and ε above --max-epsilon', async () => {
    const bad = await audit({ bank: [1.7, 1.1], shop: [2.0, 3.5] });
    expect(bad.output).toMatch(/differential privacy, bank: FAILED - [\s\S]*ε decreased from 1\.7 to 1\.1/);
    expect(bad.output).toMatch(/ε 3\.5 exceeds the node's maxEpsilon 3/);
    expect(bad.output).toContain('verdict: FAILED');
    expect(bad.code).not.toBe(0);
    const over = await audit({ bank: [1.1, 1.7], shop: [0.9, 1.4] }, ['--max-epsilon', '1.5']);
    expect(over.output).toMatch(/ε 1\.7 exceeds the audit's --max-epsilon 1\.5/);
    expect(over.code).not.toBe(0);
  }, 60_000);
});
