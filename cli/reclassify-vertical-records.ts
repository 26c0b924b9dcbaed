import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerticalChunk__Output } from '../proto/generated/hefl/v1/VerticalChunk.js';
import { loadVerticalService, type VerticalMethodName } from '../proto/load-vertical-service.js';
import type { CkksParameters } from '../protocols/ckks/ckks-parameters.js';
import { classifyVerticalPayload } from '../protocols/ledger/classify-vertical-payload.js';
import type { LedgerRecord } from '../protocols/ledger/ledger-record.js';
import { assembleVerticalMessage, parseVerticalChunk, type ParsedVerticalChunk } from '../protocols/vertical/vertical-wire.js';
import { createVerticalJudge } from '../participant/vertical/create-vertical-egress-guard.js';

export const VERTICAL_METHODS: readonly string[] = ['JoinVertical', 'PostVertical', 'FetchVertical'] satisfies VerticalMethodName[];

/** A node's record of a message its egress guard refused as a whole (it never reached the wire). */
export function isRefusedVerticalMessage(record: LedgerRecord): boolean {
  return record.messageType.startsWith('VerticalMessage/') && record.classification === 'refused';
}

/**
 * Re-judges a vertical party's kept payloads: requests must decode as what they claim and re-encode
 * to the same bytes; the chunks of each posted message are reassembled and the whole payload judged
 * again (sealed shares by their size: an auditor cannot open a box sealed to someone else).
 */
export async function reclassifyVerticalRecords(records: readonly LedgerRecord[], payloadDirectory: string, parameters: CkksParameters): Promise<{ problems: string[]; checked: number }> {
  const service = loadVerticalService();
  const problems: string[] = [];
  let checked = 0;
  const messages = new Map<string, { records: LedgerRecord[]; chunks: ParsedVerticalChunk[] }>();
  for (const record of records) {
    if (!VERTICAL_METHODS.includes(record.messageType)) continue;
    const bytes = await readFile(join(payloadDirectory, `${record.sha256}.bin`)).catch(() => undefined);
    if (!bytes) {
      problems.push(`record #${record.sequence}: payload not kept`);
      continue;
    }
    checked += 1;
    const method = service[record.messageType as VerticalMethodName];
    let decoded: object;
    try {
      decoded = method.requestDeserialize(bytes) as object;
    } catch {
      problems.push(`record #${record.sequence} (${record.messageType}): the kept payload is not a ${record.messageType} message`);
      continue;
    }
    if (Buffer.compare(method.requestSerialize(decoded as never), bytes) !== 0) {
      problems.push(`record #${record.sequence} (${record.messageType}): the kept payload carries bytes outside its declared fields`);
      continue;
    }
    if (record.messageType !== 'PostVertical') continue;
    const chunk = parseVerticalChunk(decoded as VerticalChunk__Output);
    if (!chunk.success) {
      problems.push(`record #${record.sequence}: ${chunk.reason}`);
      continue;
    }
    const key = `${String(record.metadataFields?.address)}#${String(record.metadataFields?.payloadSha256)}`;
    const entry = messages.get(key) ?? { records: [], chunks: [] };
    entry.records.push(record);
    // A message re-posted after a restart appears twice: keep one copy of each chunk.
    if (!entry.chunks.some((existing) => existing.chunkIndex === chunk.data.chunkIndex)) entry.chunks.push(chunk.data);
    messages.set(key, entry);
  }
  using judged = await createVerticalJudge(parameters, true);
  for (const { records: parts, chunks } of messages.values()) {
    const first = parts[0] as LedgerRecord;
    const assembled = assembleVerticalMessage([...chunks].sort((left, right) => left.chunkIndex - right.chunkIndex), chunks[0]?.jobId ?? '');
    if (!assembled.success) {
      problems.push(`record #${first.sequence}: the kept chunks of ${String(first.metadataFields?.address)} do not reassemble: ${assembled.reason}`);
      continue;
    }
    const verdict = classifyVerticalPayload(assembled.data, judged.judge, 'unavailable');
    const actual = 'refused' in verdict ? 'refused' : verdict.classification;
    for (const record of parts) {
      if (record.classification !== actual) problems.push(`record #${record.sequence} (${String(record.metadataFields?.kind)}) claims "${record.classification}" but its message is "${actual}"${'refused' in verdict ? `: ${verdict.refused}` : ''}`);
    }
  }
  return { problems, checked };
}

/**
 * Each address is released once: a node that sent two different messages for the same address (say
 * two sets of partial decryptions of one batch, with fresh smudging noise) fails the audit.
 */
export function checkVerticalReleases(ledgers: readonly { readonly nodeId: string | undefined; readonly records: readonly LedgerRecord[] }[]): { consistent: boolean; lines: string[] } {
  const lines: string[] = [];
  for (const ledger of ledgers) {
    const released = new Map<string, Set<string>>();
    for (const record of ledger.records) {
      if (record.messageType !== 'PostVertical' || record.classification === 'refused') continue;
      const address = String(record.metadataFields?.address ?? '');
      const digests = released.get(address) ?? new Set<string>();
      digests.add(String(record.metadataFields?.payloadSha256 ?? ''));
      released.set(address, digests);
    }
    for (const [address, digests] of released) if (digests.size > 1) lines.push(`${ledger.nodeId ?? '(unknown node)'} released ${digests.size} different messages for ${address}`);
  }
  return { consistent: lines.length === 0, lines };
}
