import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENESIS_HASH, ledgerRecordSchema, sealLedgerRecord, type LedgerEntry, type LedgerRecord } from './ledger-record.js';

/** How much of a ledger's end is read to find its last record on restart; a record is far smaller. */
const TAIL_BYTES = 64 * 1024;

/**
 * The last line of a file, reading only its end: a restarted node continues a ledger of any length
 * without loading it. Undefined for an empty file.
 */
export function readLastLine(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    let end = fstatSync(fd).size;
    let tail = '';
    // Walk back in blocks until the tail holds a complete non-empty last line (or the file's start).
    while (end > 0) {
      const start = Math.max(0, end - TAIL_BYTES);
      const block = Buffer.alloc(end - start);
      readSync(fd, block, 0, block.length, start);
      tail = block.toString('utf8') + tail;
      end = start;
      const lines = tail.split('\n').filter((line) => line.trim().length > 0);
      if (lines.length > 1 || (lines.length === 1 && start === 0)) return lines.at(-1);
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends signed, hash-chained records to a node's ledger file, one JSON line each, fsynced so a
 * crash cannot lose a record for a message that was sent. Memory stays flat however long the job:
 * the file is the record, the writer keeps only the chain's head and per-type totals.
 */
export class LedgerWriter {
  private sequence = 0;
  private previousHash = GENESIS_HASH;
  private readonly totals = { messages: 0, bytes: 0, byType: new Map<string, { messages: number; bytes: number }>() };

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
      const last = readLastLine(path);
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
    const byType = this.totals.byType.get(record.messageType) ?? { messages: 0, bytes: 0 };
    byType.messages += 1;
    byType.bytes += record.size;
    this.totals.byType.set(record.messageType, byType);
    this.totals.messages += 1;
    this.totals.bytes += record.size;
    return record;
  }

  /** How long the chain is and its newest record hash, for status pages. */
  head(): { records: number; lastRecordHash: string } {
    return { records: this.sequence, lastRecordHash: this.previousHash };
  }

  /** Messages and bytes by message type written by this writer (this run), for the node's own summary. */
  summary(): { messages: number; bytes: number; byType: Record<string, { messages: number; bytes: number }> } {
    const byType = Object.fromEntries([...this.totals.byType].map(([type, totals]) => [type, { ...totals }]));
    return { messages: this.totals.messages, bytes: this.totals.bytes, byType };
  }
}
