import type { LedgerRecord } from './ledger-record.js';
import type { LedgerVerification } from './verify-ledger.js';

/**
 * A participant's differential-privacy account in its own signed ledger: after each DP-SGD round,
 * before the update leaves, one `PrivacySpent` record (direction egress, size 0, classification
 * metadata) with the ε spent so far on its rows. It records no message: nothing is sent for it, so
 * it is not matched against the coordinator's ingress and has no payload to re-classify.
 */
export const PRIVACY_SPENT = 'PrivacySpent';

/** Bounded numbers and one short string: what the record's metadataFields hold. */
export interface PrivacySpentFields {
  readonly round: number;
  readonly mechanism: string;
  /** ε spent on this node's rows so far in the job (all rounds, retries included), at `delta`. */
  readonly epsilon: number;
  readonly delta: number;
  /** The node's own budget (privacy.maxEpsilon), when it sets one. */
  readonly maxEpsilon?: number;
  readonly noiseMultiplier: number;
  readonly clipNorm: number;
  readonly sampleRate: number;
  /** DP-SGD steps so far in the job; `roundSteps` of them in this round. */
  readonly steps: number;
  readonly roundSteps: number;
  /** Distributed mechanisms: ε so far with every other participant colluding, and Q (noise shares). */
  readonly epsilonIfOthersCollude?: number;
  readonly noiseShares?: number;
}

export function isPrivacySpentRecord(record: Pick<LedgerRecord, 'messageType' | 'direction'>): boolean {
  return record.messageType === PRIVACY_SPENT && record.direction === 'egress';
}

export interface PrivacyAudit {
  /** Per node with DP records: its final ε and δ, then any finding. */
  readonly lines: string[];
  readonly consistent: boolean;
}

/**
 * Per participant ledger: the last ε and δ it recorded. A finding when ε ever decreases, δ changes,
 * ε exceeds the node's recorded maxEpsilon, or a value is missing or not a finite number.
 */
export function auditPrivacySpent(verifications: readonly LedgerVerification[], limits: { readonly maxEpsilon?: number } = {}): PrivacyAudit {
  const lines: string[] = [];
  let consistent = true;
  for (const verification of verifications) {
    if (!verification.valid || !verification.nodeId || verification.nodeId === 'coordinator') continue;
    const records = verification.records.filter(isPrivacySpentRecord);
    if (records.length === 0) continue;
    const problems: string[] = [];
    let last: { epsilon: number; delta: number; round: number; fields: Record<string, unknown> } | undefined;
    for (const record of records) {
      const fields = record.metadataFields ?? {};
      const epsilon = fields['epsilon'];
      const delta = fields['delta'];
      const round = fields['round'];
      if (typeof epsilon !== 'number' || typeof delta !== 'number' || typeof round !== 'number' || !Number.isFinite(epsilon) || !(delta > 0 && delta < 1)) {
        problems.push(`record #${record.sequence}: ε or δ missing or not a number`);
        continue;
      }
      if (last && epsilon < last.epsilon) problems.push(`record #${record.sequence}: ε decreased from ${last.epsilon} to ${epsilon} (round ${round})`);
      if (last && delta !== last.delta) problems.push(`record #${record.sequence}: δ changed from ${last.delta} to ${delta}`);
      const maxEpsilon = fields['maxEpsilon'];
      if (typeof maxEpsilon === 'number' && epsilon > maxEpsilon) problems.push(`record #${record.sequence}: ε ${epsilon} exceeds the node's maxEpsilon ${maxEpsilon}`);
      if (limits.maxEpsilon !== undefined && epsilon > limits.maxEpsilon) problems.push(`record #${record.sequence}: ε ${epsilon} exceeds the audit's --max-epsilon ${limits.maxEpsilon}`);
      last = { epsilon, delta, round, fields };
    }
    const described = last
      ? `ε ${last.epsilon} at δ ${last.delta} after round ${last.round} (${String(last.fields['mechanism'])}, z ${String(last.fields['noiseMultiplier'])}, C ${String(last.fields['clipNorm'])}, q ${String(last.fields['sampleRate'])}, ${String(last.fields['steps'])} steps)${colluding(last.fields)}`
      : 'no valid record';
    lines.push(`differential privacy, ${verification.nodeId}: ${problems.length === 0 ? '' : 'FAILED - '}${described}`);
    lines.push(...problems.map((problem) => `    ${problem}`));
    if (problems.length > 0) consistent = false;
  }
  return { lines, consistent };
}

/** The distributed mechanisms' second figure: ε with all other participants colluding (Q noise shares). */
function colluding(fields: Record<string, unknown>): string {
  const epsilon = fields['epsilonIfOthersCollude'];
  return typeof epsilon === 'number' ? `; ε ${epsilon} if all other participants collude (noise in ${String(fields['noiseShares'])} shares)` : '';
}
