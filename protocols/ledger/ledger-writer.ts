import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { GENESIS_HASH, sealLedgerRecord, type LedgerEntry, type LedgerRecord } from './ledger-record.js';

/**
 * Appends signed, hash-chained records to a node's ledger file, one JSON line each, fsynced so a
 * crash cannot lose a record for a message that was sent.
 */
export class LedgerWriter {
  private sequence = 0;
  private previousHash = GENESIS_HASH;
  private readonly records: LedgerRecord[] = [];

  constructor(
    private readonly path: string | undefined,
    private readonly nodeId: string,
    private readonly signingKey: KeyObject,
  ) {}

  /** Records one message by its exact bytes. */
  recordBytes(direction: LedgerEntry['direction'], messageType: string, bytes: Uint8Array): LedgerRecord {
    return this.append({
      time: new Date().toISOString(),
      direction,
      messageType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }

  append(entry: LedgerEntry): LedgerRecord {
    const record = sealLedgerRecord({ sequence: this.sequence, nodeId: this.nodeId, previousHash: this.previousHash, ...entry }, this.signingKey);
    if (this.path) {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.sequence += 1;
    this.previousHash = record.recordHash;
    this.records.push(record);
    return record;
  }

  /** Messages and bytes by message type, for the node's own summary. */
  summary(): { messages: number; bytes: number; byType: Record<string, { messages: number; bytes: number }> } {
    const byType: Record<string, { messages: number; bytes: number }> = {};
    let bytes = 0;
    for (const record of this.records) {
      const totals = (byType[record.messageType] ??= { messages: 0, bytes: 0 });
      totals.messages += 1;
      totals.bytes += record.size;
      bytes += record.size;
    }
    return { messages: this.records.length, bytes, byType };
  }
}
