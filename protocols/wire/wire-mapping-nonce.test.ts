import { describe, expect, it } from 'vitest';
import {
  parseDecryptionShareChunk,
  parseEvaluationReport,
  parseJoinRequest,
  parseUpdateChunk,
  toWireDecryptionShareChunk,
  toWireEvaluationReport,
  toWireJoinRequest,
  toWireUpdateChunk,
} from './wire-mapping.js';
import { PROTOCOL_VERSION } from './federation-messages.js';

const join = { jobId: 'job', participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: 'a'.repeat(64) };

describe('nonces on state-changing messages', () => {
  it('stamps 16 fresh random bytes on every outgoing message unless one is given', () => {
    const first = toWireJoinRequest(join).nonce as Buffer;
    const second = toWireJoinRequest(join).nonce as Buffer;
    expect(first).toHaveLength(16);
    expect(first.equals(second)).toBe(false);
    const given = new Uint8Array(16).fill(7);
    expect(Array.from(toWireJoinRequest({ ...join, nonce: given }).nonce as Buffer)).toEqual(Array.from(given));
    expect(toWireEvaluationReport({ jobId: 'job', participantId: 'bank', round: 1, evaluationCount: 3, auc: 0.5, loss: 0.2, totalSamples: 9, meanTrainingLoss: 0.3 }).nonce).toHaveLength(16);
  });

  it('puts the nonce on chunk 0 of a stream only', () => {
    const chunk = { jobId: 'job', participantId: 'bank', round: 1, ciphertext: new Uint8Array(4), metadata: undefined };
    expect(toWireUpdateChunk({ ...chunk, chunkIndex: 0 }).nonce).toHaveLength(16);
    expect(toWireUpdateChunk({ ...chunk, chunkIndex: 1 }).nonce).toHaveLength(0);
    const share = { jobId: 'job', participantId: 'bank', round: 1, share: new Uint8Array(4), aggregateSha256: undefined, c1Sha256: new Uint8Array(32) };
    expect(toWireDecryptionShareChunk({ ...share, chunkIndex: 0 }).nonce).toHaveLength(16);
    expect(toWireDecryptionShareChunk({ ...share, chunkIndex: 2 }).nonce).toHaveLength(0);
  });

  it('refuses a message without a nonce, with a short one, and a later chunk that carries one', () => {
    const missing = parseJoinRequest({ ...join, nonce: Buffer.alloc(0), resuming: false, lastAppliedRound: 0, catchUp: false });
    expect(missing.success).toBe(false);
    expect(!missing.success && missing.reason).toMatch(/nonce: is not a 16-byte nonce/);
    expect(parseEvaluationReport({ jobId: 'job', participantId: 'bank', round: 1, evaluationCount: 3, auc: 0.5, loss: 0.2, totalSamples: 9, meanTrainingLoss: 0.3, nonce: Buffer.alloc(8) }).success).toBe(false);
    const chunk = { jobId: 'job', participantId: 'bank', round: 1, ciphertext: Buffer.alloc(4), metadata: null, updateSignature: Buffer.alloc(0) };
    const later = parseUpdateChunk({ ...chunk, chunkIndex: 3, nonce: Buffer.alloc(16) });
    expect(!later.success && later.reason).toMatch(/only chunk 0 carries a nonce/);
    const parsed = parseUpdateChunk({ ...chunk, chunkIndex: 0, nonce: Buffer.alloc(16, 1) });
    expect(parsed.success && parsed.data.nonce).toHaveLength(16);
    const shareChunk = { jobId: 'job', participantId: 'bank', round: 1, chunkIndex: 0, share: Buffer.alloc(4), aggregateSha256: '', c1Sha256: Buffer.alloc(32), contributorsSha256: Buffer.alloc(32), committeeSha256: Buffer.alloc(0) };
    const share = parseDecryptionShareChunk({ ...shareChunk, nonce: Buffer.alloc(0) });
    expect(!share.success && share.reason).toMatch(/chunk 0 must carry a 16-byte nonce/);
    // Every share chunk names its c1; chunk 0 names the contributor set, and only chunk 0.
    expect(parseDecryptionShareChunk({ ...shareChunk, nonce: Buffer.alloc(16, 1) }).success).toBe(true);
    const noC1 = parseDecryptionShareChunk({ ...shareChunk, nonce: Buffer.alloc(16, 1), c1Sha256: Buffer.alloc(0) });
    expect(!noC1.success && noC1.reason).toMatch(/c1Sha256: is not a 32-byte SHA-256 digest/);
    const noSet = parseDecryptionShareChunk({ ...shareChunk, nonce: Buffer.alloc(16, 1), contributorsSha256: Buffer.alloc(0) });
    expect(!noSet.success && noSet.reason).toMatch(/only chunk 0, names the contributor set/);
  });
});
