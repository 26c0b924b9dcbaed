import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { EgressRecord } from './federation-connection.js';

export interface EgressEntry {
  readonly time: string;
  readonly method: EgressRecord['method'];
  readonly bytes: number;
  readonly sha256: string;
}

export interface EgressSummary {
  readonly messages: number;
  readonly bytes: number;
  readonly byMethod: Readonly<Record<string, { messages: number; bytes: number }>>;
}

/**
 * Every message that leaves the participant, by type, size and SHA-256 of its exact bytes: what a
 * partner shows its compliance team. Optionally appended to a JSON-lines file as it happens.
 */
export class EgressLog {
  private readonly entries: EgressEntry[] = [];

  constructor(private readonly file?: string) {}

  record(record: EgressRecord): void {
    const entry: EgressEntry = {
      time: new Date().toISOString(),
      method: record.method,
      bytes: record.bytes.length,
      sha256: createHash('sha256').update(record.bytes).digest('hex'),
    };
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  summary(): EgressSummary {
    const byMethod: Record<string, { messages: number; bytes: number }> = {};
    let bytes = 0;
    for (const entry of this.entries) {
      const totals = (byMethod[entry.method] ??= { messages: 0, bytes: 0 });
      totals.messages += 1;
      totals.bytes += entry.bytes;
      bytes += entry.bytes;
    }
    return { messages: this.entries.length, bytes, byMethod };
  }
}
