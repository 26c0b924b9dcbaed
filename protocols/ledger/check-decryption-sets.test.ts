import { describe, expect, it } from 'vitest';
import { checkDecryptionSets } from './check-decryption-sets.js';
import type { LedgerRecord } from './ledger-record.js';

let sequence = 0;
function share(nodeId: string, c1: string, contributors?: string): LedgerRecord {
  sequence += 1;
  return {
    sequence,
    time: '2026-12-03T00:00:00.000Z',
    nodeId,
    direction: 'egress',
    messageType: 'SubmitDecryptionShare',
    size: 100,
    sha256: '0'.repeat(64),
    classification: 'ciphertext',
    metadataFields: { c1Sha256: c1.repeat(64).slice(0, 64), ...(contributors ? { contributorsSha256: contributors.repeat(64).slice(0, 64) } : {}) },
    previousHash: '0'.repeat(64),
    recordHash: '0'.repeat(64),
    signature: 'x',
  };
}

describe('checkDecryptionSets: one decryption set per c1, offline', () => {
  it('passes when every node decrypted each c1 for one set (chunk k inherits the set named by chunk 0)', () => {
    const ledgers = ['bank', 'shop'].map((nodeId) => ({ nodeId, records: [share(nodeId, 'a', 's'), share(nodeId, 'b'), share(nodeId, 'c', 's')] }));
    const check = checkDecryptionSets(ledgers);
    expect(check.consistent).toBe(true);
    expect(check.lines[0]).toBe('decryption sets: 6 released partial decryptions of 3 ciphertexts (by c1), one contributor set each');
  });

  it('fails naming the c1 and the nodes when one c1 was decrypted for two sets, even by different nodes', () => {
    const check = checkDecryptionSets([
      { nodeId: 'bank', records: [share('bank', 'a', 's')] },
      { nodeId: 'shop', records: [share('shop', 'a', 't')] },
    ]);
    expect(check.consistent).toBe(false);
    expect(check.lines.join('\n')).toMatch(/c1 aaaaaaaaaaaaaaaa… was partially decrypted for 2 different contributor sets \(bank \/ shop\)/);
  });

  it('notes a repeated release for the same set (a retried round) without failing', () => {
    const check = checkDecryptionSets([{ nodeId: 'bank', records: [share('bank', 'a', 's'), share('bank', 'a', 's')] }]);
    expect(check.consistent).toBe(true);
    expect(check.lines.join('\n')).toMatch(/note: bank released 2 partial decryptions/);
  });
});

describe('checkDecryptionSets under t-of-N custody: one committee per c1', () => {
  const withCommittee = (record: LedgerRecord, committee: string): LedgerRecord => ({ ...record, metadataFields: { ...record.metadataFields, committeeSha256: committee.repeat(64).slice(0, 64) } });

  it('passes when each c1 went to one committee, and says so', () => {
    const ledgers = ['p1', 'p2', 'p3'].map((nodeId) => ({ nodeId, records: [withCommittee(share(nodeId, 'a', 's'), 'T'), share(nodeId, 'b')] }));
    const check = checkDecryptionSets(ledgers);
    expect(check.consistent).toBe(true);
    expect(check.lines[0]).toMatch(/2 decrypted by a t-of-N committee, one committee each/);
  });

  it('fails when one c1 was decrypted for two committees (same contributor set), or once N-of-N and once by a committee', () => {
    const two = checkDecryptionSets([
      { nodeId: 'p1', records: [withCommittee(share('p1', 'a', 's'), 'T')] },
      { nodeId: 'p4', records: [withCommittee(share('p4', 'a', 's'), 'U')] },
    ]);
    expect(two.consistent).toBe(false);
    expect(two.lines.join('\n')).toMatch(/c1 aaaaaaaaaaaaaaaa… was partially decrypted for 2 different committees/);
    const mixed = checkDecryptionSets([
      { nodeId: 'p1', records: [withCommittee(share('p1', 'a', 's'), 'T')] },
      { nodeId: 'p2', records: [share('p2', 'a', 's')] },
    ]);
    expect(mixed.consistent).toBe(false);
  });
});
