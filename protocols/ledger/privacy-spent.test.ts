import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LedgerWriter } from './ledger-writer.js';
import { auditPrivacySpent, PRIVACY_SPENT } from './privacy-spent.js';
import { verifyLedger, type LedgerVerification } from './verify-ledger.js';

/** A signed in-memory ledger of PrivacySpent records with these (ε, δ, maxEpsilon) values. */
function ledgerWith(nodeId: string, records: ReadonlyArray<{ epsilon: number; delta?: number; maxEpsilon?: number }>): LedgerVerification {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const writer = new LedgerWriter(undefined, nodeId, privateKey);
  const lines = records.map(({ epsilon, delta = 1e-5, maxEpsilon }, index) =>
    JSON.stringify(
      writer.recordBytes('egress', PRIVACY_SPENT, new Uint8Array(0), 'metadata', undefined, undefined, {
        round: index + 1,
        mechanism: 'record-level',
        epsilon,
        delta,
        ...(maxEpsilon === undefined ? {} : { maxEpsilon }),
        noiseMultiplier: 1,
        clipNorm: 1,
        sampleRate: 0.025,
        steps: 41 * (index + 1),
        roundSteps: 41,
      }),
    ),
  );
  return verifyLedger(lines.join('\n'), nodeId, () => publicKey);
}

describe('auditPrivacySpent', () => {
  it('reports each node\'s final ε and δ when ε only rises and stays within its budget', () => {
    const audit = auditPrivacySpent([ledgerWith('bank', [{ epsilon: 0.5, maxEpsilon: 2 }, { epsilon: 0.9, maxEpsilon: 2 }]), ledgerWith('shop', [{ epsilon: 1.2 }])]);
    expect(audit.consistent).toBe(true);
    expect(audit.lines).toEqual([
      'differential privacy, bank: ε 0.9 at δ 0.00001 after round 2 (record-level, z 1, C 1, q 0.025, 82 steps)',
      'differential privacy, shop: ε 1.2 at δ 0.00001 after round 1 (record-level, z 1, C 1, q 0.025, 41 steps)',
    ]);
  });

  it.each([
    ['ε decreases', [{ epsilon: 0.9 }, { epsilon: 0.5 }], /ε decreased from 0\.9 to 0\.5/],
    ['δ changes', [{ epsilon: 0.5 }, { epsilon: 0.9, delta: 1e-3 }], /δ changed from 0\.00001 to 0\.001/],
    ['ε exceeds the node\'s maxEpsilon', [{ epsilon: 0.5, maxEpsilon: 1 }, { epsilon: 1.5, maxEpsilon: 1 }], /ε 1\.5 exceeds the node's maxEpsilon 1/],
  ])('flags a ledger where %s', (_name, records, finding) => {
    const audit = auditPrivacySpent([ledgerWith('bank', records)]);
    expect(audit.consistent).toBe(false);
    expect(audit.lines[0]).toMatch(/^differential privacy, bank: FAILED - /);
    expect(audit.lines.join('\n')).toMatch(finding);
  });

  it('flags ε above the auditor\'s own bound, and ignores ledgers without DP records', () => {
    expect(auditPrivacySpent([ledgerWith('bank', [{ epsilon: 3 }])], { maxEpsilon: 2.5 }).lines.join('\n')).toMatch(/ε 3 exceeds the audit's --max-epsilon 2\.5/);
    expect(auditPrivacySpent([ledgerWith('bank', [])])).toEqual({ lines: [], consistent: true });
  });
});
