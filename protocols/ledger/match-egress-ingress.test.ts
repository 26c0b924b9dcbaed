import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateIdentity, loadIdentityPrivateKey } from '../identity/participant-identity.js';
import { hashLedgerRecord, type LedgerEntry, type LedgerRecord } from './ledger-record.js';
import { LedgerWriter } from './ledger-writer.js';
import { matchEgressWithIngress } from './match-egress-ingress.js';
import type { LedgerVerification } from './verify-ledger.js';

const key = loadIdentityPrivateKey(generateIdentity().privateKeyPem);
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const sent = (text: string): LedgerEntry => ({ time: 't', direction: 'egress', messageType: 'Join', size: text.length, sha256: sha(text), classification: 'metadata' });
const verified = (nodeId: string, records: LedgerRecord[]): LedgerVerification => ({ valid: true, nodeId, records });

describe('matchEgressWithIngress', () => {
  it('files a spoofed, refused message under its proven sender, not under the id it claims', () => {
    const government = new LedgerWriter(undefined, 'government', key);
    const coordinator = new LedgerWriter(undefined, 'coordinator', key);
    const honest = government.append(sent('honest join'));
    const arrivals = [
      coordinator.append({ ...sent('spoofed join'), direction: 'ingress', peer: 'ecommerce', peerAuthenticated: true, claimedPeer: 'government', refused: true, refusedBecause: 'names government' }),
      coordinator.append({ ...sent('honest join'), direction: 'ingress', peer: 'government', peerAuthenticated: true }),
    ];
    const { lines, consistent } = matchEgressWithIngress([verified('government', [honest]), verified('coordinator', arrivals)]);
    expect(consistent).toBe(true);
    expect(lines).toContain('government -> coordinator: 1 of 1 sent messages found in the ingress ledger');
    expect(lines.join('\n')).not.toMatch(/arrived as "government"/);
    expect(lines).toContain('refused by the coordinator, from "ecommerce": 1 messages (not counted as arrived)');
    expect(lines).toContain('    #0 Join, claiming to be "government": names government');
  });

  it('matches a refused message with its proven sender\'s ledger, and still flags an accepted one it does not record', () => {
    const bank = new LedgerWriter(undefined, 'bank', key);
    const coordinator = new LedgerWriter(undefined, 'coordinator', key);
    const late = bank.append(sent('late update'));
    const arrivals = [
      coordinator.append({ ...sent('late update'), direction: 'ingress', peer: 'bank', peerAuthenticated: true, refused: true, refusedBecause: 'round closed' }),
      coordinator.append({ ...sent('unrecorded'), direction: 'ingress', peer: 'bank', peerAuthenticated: true }),
    ];
    const { lines, consistent } = matchEgressWithIngress([verified('bank', [late]), verified('coordinator', arrivals)]);
    expect(lines[0]).toBe('bank -> coordinator: 1 of 1 sent messages found in the ingress ledger (1 of them refused by the coordinator)');
    expect(lines).toContain('    1 messages arrived as "bank" that its ledger does not record');
    expect(consistent).toBe(false);
  });
});

describe('ledger record hash', () => {
  it('is unchanged for records without the ingress fields, and covers them when present', () => {
    const base = { sequence: 0, time: 't', nodeId: 'coordinator', direction: 'ingress' as const, peer: 'bank', messageType: 'Join', size: 1, sha256: sha('x'), classification: 'metadata' as const, previousHash: '0'.repeat(64) };
    const legacy = createHash('sha256')
      .update('hefl-ledger/1\0')
      .update(JSON.stringify([0, 't', 'coordinator', 'ingress', 'bank', 'Join', 1, sha('x'), 'metadata', null, null, '0'.repeat(64)]))
      .digest('hex');
    expect(hashLedgerRecord(base)).toBe(legacy);
    expect(hashLedgerRecord({ ...base, refused: true })).not.toBe(legacy);
    expect(hashLedgerRecord({ ...base, peerAuthenticated: true })).not.toBe(hashLedgerRecord({ ...base, peerAuthenticated: false }));
  });
});
