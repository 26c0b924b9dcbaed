import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * One line of a node's ledger: what one message that left it was, by type, size and the SHA-256 of
 * its exact bytes. Records are hash-chained (each names the previous record's hash) and signed with
 * the node's Ed25519 identity, so an auditor can detect any edited, deleted, reordered or inserted
 * record without trusting the node or the coordinator.
 */
export const ledgerRecordSchema = z.object({
  sequence: z.number().int().min(0),
  time: z.string(),
  nodeId: z.string().min(1),
  direction: z.enum(['egress', 'ingress']),
  /**
   * Ingress records: the participant the message came from: under mutual TLS the one its client
   * certificate proves (`peerAuthenticated: true`), else only the id the message claims (`false`).
   */
  peer: z.string().max(63).optional(),
  /** Ingress: whether `peer` was proven by a verified client certificate (absent in older ledgers). */
  peerAuthenticated: z.boolean().optional(),
  /** Ingress: the participant id the message named, when it is not `peer` (a spoofed or unproven id). */
  claimedPeer: z.string().max(63).optional(),
  /** Ingress: the coordinator refused this message; it never counts as "arrived" for anyone but `peer`. */
  refused: z.boolean().optional(),
  /** Ingress: why the coordinator refused it (at most 300 characters). */
  refusedBecause: z.string().max(300).optional(),
  messageType: z.string().min(1),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * What the payload is: a ciphertext (or threshold share), bounded metadata, refused by the egress
   * guard, (coordinator's outgoing records only) the jointly decrypted aggregate it publishes, or an
   * unencrypted update (custody `none`, the benchmark baseline; an audit fails on it).
   */
  classification: z.enum(['ciphertext', 'metadata', 'refused', 'aggregate', 'plaintext']),
  refusalReason: z.string().max(2_000).optional(),
  /** The message's plaintext fields (job, round, participant, counts, metrics); payload bytes are never listed. */
  metadataFields: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
  previousHash: z.string().regex(/^[0-9a-f]{64}$/),
  recordHash: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().min(1),
});

export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;
export type LedgerEntry = Pick<
  LedgerRecord,
  | 'time'
  | 'direction'
  | 'peer'
  | 'peerAuthenticated'
  | 'claimedPeer'
  | 'refused'
  | 'refusedBecause'
  | 'messageType'
  | 'size'
  | 'sha256'
  | 'classification'
  | 'refusalReason'
  | 'metadataFields'
>;

export const MAX_REFUSED_BECAUSE = 300;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the record's fields in a fixed order (everything but recordHash and signature). The
 * ingress fields added later are hashed only when present, so older ledgers keep their hashes.
 */
export function hashLedgerRecord(record: Omit<LedgerRecord, 'recordHash' | 'signature'>): string {
  const ingress = [
    ['peerAuthenticated', record.peerAuthenticated],
    ['claimedPeer', record.claimedPeer],
    ['refused', record.refused],
    ['refusedBecause', record.refusedBecause],
  ].filter(([, value]) => value !== undefined);
  const canonical = JSON.stringify([
    record.sequence,
    record.time,
    record.nodeId,
    record.direction,
    record.peer ?? null,
    record.messageType,
    record.size,
    record.sha256,
    record.classification,
    record.refusalReason ?? null,
    record.metadataFields ? Object.entries(record.metadataFields).sort(([a], [b]) => a.localeCompare(b)) : null,
    record.previousHash,
    ...(ingress.length > 0 ? [ingress] : []),
  ]);
  return createHash('sha256').update('hefl-ledger/1\0').update(canonical).digest('hex');
}

export function sealLedgerRecord(
  fields: Omit<LedgerRecord, 'recordHash' | 'signature'>,
  signingKey: KeyObject,
): LedgerRecord {
  const recordHash = hashLedgerRecord(fields);
  return { ...fields, recordHash, signature: sign(null, Buffer.from(recordHash, 'hex'), signingKey).toString('base64') };
}

export function verifyLedgerSignature(record: LedgerRecord, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(record.recordHash, 'hex'), publicKey, Buffer.from(record.signature, 'base64'));
  } catch {
    return false;
  }
}
