import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashLedgerRecord, ledgerRecordSchema, verifyLedgerSignature, type LedgerRecord } from './ledger-record.js';

export type LedgerVerification =
  | { readonly valid: true; readonly nodeId: string | undefined; readonly records: readonly LedgerRecord[] }
  | { readonly valid: false; readonly nodeId: string | undefined; readonly records: readonly LedgerRecord[]; readonly problem: string };

/**
 * Checks a ledger's text line by line: schema, sequence, chain link, record hash and signature. The
 * first broken record is named by its sequence number and line, so an edited, deleted, reordered or
 * inserted record is found and located.
 */
export function verifyLedger(text: string, source: string, publicKeyOf: (nodeId: string) => KeyObject | undefined): LedgerVerification {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const records: LedgerRecord[] = [];
  let previousHash = GENESIS_HASH;
  let nodeId: string | undefined;
  const broken = (line: number, problem: string): LedgerVerification => ({ valid: false, nodeId, records, problem: `${source}: line ${line}: ${problem}` });
  for (const [index, line] of lines.entries()) {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return broken(index + 1, 'not a JSON record');
    }
    const parsed = ledgerRecordSchema.safeParse(raw);
    if (!parsed.success) return broken(index + 1, `not a ledger record (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
    const record = parsed.data;
    nodeId ??= record.nodeId;
    const name = `record #${record.sequence}`;
    if (record.nodeId !== nodeId) return broken(index + 1, `${name} is from node "${record.nodeId}", the ledger is "${nodeId}"`);
    if (record.sequence !== index) return broken(index + 1, `${name} is out of place: expected #${index} (a record was deleted, inserted or moved)`);
    if (record.previousHash !== previousHash) return broken(index + 1, `${name} does not follow #${index - 1} in the hash chain`);
    if (hashLedgerRecord(record) !== record.recordHash) return broken(index + 1, `${name} was edited: its contents do not match its hash`);
    const publicKey = publicKeyOf(record.nodeId);
    if (!publicKey) return broken(index + 1, `no public key for node "${record.nodeId}"`);
    if (!verifyLedgerSignature(record, publicKey)) return broken(index + 1, `${name} is not signed by ${record.nodeId}'s identity key`);
    records.push(record);
    previousHash = record.recordHash;
  }
  return { valid: true, nodeId, records };
}
