import { isPrivacySpentRecord } from './privacy-spent.js';
import type { LedgerRecord } from './ledger-record.js';
import type { LedgerVerification } from './verify-ledger.js';

const key = (record: Pick<LedgerRecord, 'sha256' | 'size' | 'messageType'>, peer: string): string => `${peer}|${record.messageType}|${record.size}|${record.sha256}`;

/**
 * With the coordinator's ledger among the verified ledgers: every message a participant recorded as
 * sent must have arrived (same SHA-256, size, type, sender), and every message the coordinator
 * accepted from that participant must be in the participant's ledger. A message the coordinator
 * refused is filed under the sender its certificate proved (never under the id it claimed): it may
 * match that sender's own records, and is otherwise listed per sender, not counted as arrived.
 */
export function matchEgressWithIngress(verifications: readonly LedgerVerification[]): { lines: string[]; consistent: boolean } {
  const ingress = verifications.find((verification) => verification.nodeId === 'coordinator' && verification.valid);
  if (!ingress) return { lines: [], consistent: true };
  const received = ingress.records.filter((record) => record.direction === 'ingress');
  const explained = new Set<LedgerRecord>();
  const lines: string[] = [];
  let consistent = true;
  for (const egress of verifications) {
    if (!egress.valid || !egress.nodeId || egress.nodeId === 'coordinator') continue;
    const participant = egress.nodeId;
    // Accepted records first, so a refused copy is matched only when no accepted one is left.
    const arrived = new Map<string, LedgerRecord[]>();
    for (const record of [...received].sort((a, b) => Number(a.refused === true) - Number(b.refused === true))) {
      if (record.peer !== participant) continue;
      const list = arrived.get(key(record, participant)) ?? [];
      list.push(record);
      arrived.set(key(record, participant), list);
    }
    // Refused messages never left; a PrivacySpent record is the node's own account, not a message.
    const sent = egress.records.filter((record) => record.classification !== 'refused' && !isPrivacySpentRecord(record));
    let matched = 0;
    let matchedRefused = 0;
    const unmatched: string[] = [];
    for (const record of sent) {
      const found = arrived.get(key(record, participant))?.shift();
      if (!found) {
        unmatched.push(`#${record.sequence} ${record.messageType}`);
        continue;
      }
      explained.add(found);
      matched += 1;
      if (found.refused) matchedRefused += 1;
    }
    const unexplained = [...arrived.values()].flat().filter((record) => !record.refused).length;
    lines.push(
      `${participant} -> coordinator: ${matched} of ${sent.length} sent messages found in the ingress ledger` +
        `${matchedRefused > 0 ? ` (${matchedRefused} of them refused by the coordinator)` : ''}`,
    );
    if (unmatched.length > 0) lines.push(`    not received (or not recorded): ${unmatched.slice(0, 10).join(', ')}${unmatched.length > 10 ? ', ...' : ''}`);
    if (unexplained > 0) lines.push(`    ${unexplained} messages arrived as "${participant}" that its ledger does not record`);
    if (unmatched.length > 0 || unexplained > 0) consistent = false;
  }
  lines.push(...describeRefused(received.filter((record) => record.refused && !explained.has(record))));
  return { lines, consistent };
}

/** Refused messages no participant's ledger accounts for, by the sender the coordinator could prove. */
function describeRefused(refused: readonly LedgerRecord[]): string[] {
  const bySender = new Map<string, LedgerRecord[]>();
  for (const record of refused) {
    const sender = record.peer === undefined ? 'an unidentified caller' : record.peerAuthenticated === false ? `"${record.peer}" (claimed, not proven)` : `"${record.peer}"`;
    bySender.set(sender, [...(bySender.get(sender) ?? []), record]);
  }
  return [...bySender].flatMap(([sender, records]) => [
    `refused by the coordinator, from ${sender}: ${records.length} messages (not counted as arrived)`,
    ...records.slice(0, 5).map((record) => {
      const claim = record.claimedPeer ? `, claiming to be "${record.claimedPeer}"` : '';
      return `    #${record.sequence} ${record.messageType}${claim}: ${record.refusedBecause ?? 'no reason recorded'}`;
    }),
    ...(records.length > 5 ? [`    ... and ${records.length - 5} more`] : []),
  ]);
}
