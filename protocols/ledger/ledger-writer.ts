import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENESIS_HASH, ledgerRecordSchema, sealLedgerRecord, type LedgerEntry, type LedgerRecord } from './ledger-record.js';

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
    /** --keep-payloads: the exact bytes of every message, as <sha256>.bin, for the auditor to re-classify. */
    private readonly payloadDirectory?: string,
  ) {
    if (payloadDirectory) mkdirSync(payloadDirectory, { recursive: true, mode: 0o700 });
    if (path) mkdirSync(dirname(path), { recursive: true });
    // A node restarted with the same output folder continues its chain instead of starting a second one.
    if (path && existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim().length > 0);
      const last = lines.at(-1);
      if (last) {
        const record = ledgerRecordSchema.parse(JSON.parse(last));
        if (record.nodeId !== nodeId) throw new Error(`${path} is the ledger of "${record.nodeId}", not "${nodeId}"`);
        this.sequence = record.sequence + 1;
        this.previousHash = record.recordHash;
      }
    }
  }

  /** Records one message by its exact bytes and what it was judged to be. */
  recordBytes(
    direction: LedgerEntry['direction'],
    messageType: string,
    bytes: Uint8Array,
    classification: LedgerEntry['classification'],
    refusalReason?: string,
    peer?: string,
    metadataFields?: LedgerEntry['metadataFields'],
  ): LedgerRecord {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (this.payloadDirectory) writeFileSync(join(this.payloadDirectory, `${sha256}.bin`), bytes, { mode: 0o600 });
    return this.append({
      time: new Date().toISOString(),
      direction,
      messageType,
      size: bytes.length,
      sha256,
      classification,
      ...(refusalReason ? { refusalReason } : {}),
      ...(peer ? { peer } : {}),
      ...(metadataFields ? { metadataFields } : {}),
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

  /** How long the chain is and its newest record hash, for status pages. */
  head(): { records: number; lastRecordHash: string } {
    return { records: this.sequence, lastRecordHash: this.previousHash };
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
