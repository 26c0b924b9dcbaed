import { describe, expect, it } from 'vitest';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../identity/participant-identity.js';
import { hashLedgerRecord, sealLedgerRecord, type LedgerRecord } from './ledger-record.js';
import { LedgerWriter } from './ledger-writer.js';
import { verifyLedger } from './verify-ledger.js';

const identity = generateIdentity();
const signingKey = loadIdentityPrivateKey(identity.privateKeyPem);
const publicKey = loadIdentityPublicKey(identity.publicKeyPem);
const keys = (nodeId: string) => (nodeId === 'bank' ? publicKey : undefined);

function ledger(): LedgerRecord[] {
  const writer = new LedgerWriter(undefined, 'bank', signingKey);
  return ['Join', 'SubmitUpdate', 'SubmitUpdate', 'ReportEvaluation', 'SubmitDecryptionShare'].map((type, index) =>
    writer.recordBytes('egress', type, new Uint8Array(100 + index).fill(index), type === 'SubmitUpdate' ? 'ciphertext' : 'metadata'),
  );
}
const text = (records: readonly LedgerRecord[]): string => `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;

describe('verifyLedger', () => {
  it('accepts an intact ledger', () => {
    const result = verifyLedger(text(ledger()), 'bank.jsonl', keys);
    expect(result.valid).toBe(true);
    expect(result.records).toHaveLength(5);
  });

  it.each([
    ['edited', (records: LedgerRecord[]) => records.map((record, index) => (index === 2 ? { ...record, size: 1 } : record)), /record #2 was edited/],
    ['deleted', (records: LedgerRecord[]) => records.filter((_, index) => index !== 1), /record #2 is out of place/],
    ['reordered', (records: LedgerRecord[]) => [records[0], records[2], records[1], records[3], records[4]] as LedgerRecord[], /record #2 is out of place/],
    [
      'inserted (re-chained, but unsigned by the node)',
      (records: LedgerRecord[]) => {
        const forger = loadIdentityPrivateKey(generateIdentity().privateKeyPem);
        const forged = sealLedgerRecord({ ...records[3], sequence: 3, previousHash: (records[2] as LedgerRecord).recordHash } as LedgerRecord, forger);
        return [...records.slice(0, 3), forged];
      },
      /record #3 is not signed/,
    ],
    [
      'edited and re-hashed without the key',
      (records: LedgerRecord[]) =>
        records.map((record, index) => {
          if (index !== 4) return record;
          const changed = { ...record, messageType: 'ReportEvaluation' };
          return { ...changed, recordHash: hashLedgerRecord(changed) };
        }),
      /record #4 is not signed/,
    ],
  ])('names the record when one is %s', (_name, tamper, message) => {
    const result = verifyLedger(text(tamper(ledger())), 'bank.jsonl', keys);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.problem).toMatch(message);
  });

  it('continues the chain when a restarted node reopens its ledger', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const directory = await mkdtemp(join(tmpdir(), 'hefl-ledger-'));
    const path = join(directory, 'egress.jsonl');
    new LedgerWriter(path, 'bank', signingKey).recordBytes('egress', 'Join', new Uint8Array([1]), 'metadata');
    new LedgerWriter(path, 'bank', signingKey).recordBytes('egress', 'Join', new Uint8Array([2]), 'metadata');
    const result = verifyLedger(await readFile(path, 'utf8'), 'egress.jsonl', keys);
    expect(result.valid).toBe(true);
    expect(result.records.map((record) => record.sequence)).toEqual([0, 1]);
    await rm(directory, { recursive: true, force: true });
  });
});

