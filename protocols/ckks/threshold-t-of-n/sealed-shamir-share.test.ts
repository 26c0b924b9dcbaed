import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { openShamirShare, SEALED_SHARE_ENVELOPE_OVERHEAD, sealShamirShare } from './sealed-shamir-share.js';
import { newMembers } from './testing/tofn-federation.js';
import type { ResharingContext } from './thresholdizer.js';

const resharing: ResharingContext = { jobId: 'job-1', epoch: 1, keyFingerprint: 'ab'.repeat(32), roster: ['p1', 'p2', 'p3'], threshold: 2 };
const members = newMembers(resharing.roster);
const share = Uint8Array.from({ length: 1000 }, (_, index) => (index * 31) & 0xff);
const keysFor = (from: string, to: string) => ({ recipientSealingPrivateKey: members.get(to)!.sealing.privateKey, senderIdentityPublicKey: members.get(from)!.identity.publicKey });
const seal = (from = 'p1', to = 'p2', context = resharing) =>
  sealShamirShare(share, context, { from, to }, { recipientSealingKey: members.get(to)!.sealing.publicKey, senderIdentityKey: members.get(from)!.identity.privateKey });

describe('sealed Shamir shares (X25519 + HKDF + AES-256-GCM, Ed25519-signed)', () => {
  it('opens for its receiver from its sender, with a fixed overhead; the relay sees no share bytes', () => {
    const envelope = seal();
    expect(envelope.length).toBe(share.length + 49 + SEALED_SHARE_ENVELOPE_OVERHEAD);
    expect(openShamirShare(envelope, resharing, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2'))).toEqual(share);
    expect(Buffer.from(envelope).includes(Buffer.from(share.subarray(0, 16)))).toBe(false);
  });

  it('refuses a tampered envelope (every region), one replayed to another receiver, and a foreign or re-attributed one', () => {
    const envelope = seal();
    for (const offset of [0, 5, 9, 40, 500, envelope.length - 70, envelope.length - 1]) {
      const flipped = Uint8Array.from(envelope);
      flipped[offset] = (flipped[offset] as number) ^ 1;
      expect(() => openShamirShare(flipped, resharing, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2')), `byte ${offset}`).toThrow(CiphertextError);
    }
    // Relayed to p3: p3 expects a box addressed to itself, so the signature over (…, to = p3) fails.
    expect(() => openShamirShare(envelope, resharing, { from: 'p1', to: 'p3' }, keysFor('p1', 'p3'))).toThrow(/signature does not verify with p1's identity key/);
    // Claimed to come from p3: p3's identity key did not sign it.
    expect(() => openShamirShare(envelope, resharing, { from: 'p3', to: 'p2' }, keysFor('p3', 'p2'))).toThrow(/signature does not verify with p3's identity key/);
    // Foreign: signed by a key outside the federation, claiming to be p1.
    const foreign = sealShamirShare(share, resharing, { from: 'p1', to: 'p2' }, { recipientSealingKey: members.get('p2')!.sealing.publicKey, senderIdentityKey: generateKeyPairSync('ed25519').privateKey });
    expect(() => openShamirShare(foreign, resharing, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2'))).toThrow(/signature does not verify/);
    // Signed correctly by p1 but sealed to p3's key: p2 cannot open it.
    const misSealed = sealShamirShare(share, resharing, { from: 'p1', to: 'p2' }, { recipientSealingKey: members.get('p3')!.sealing.publicKey, senderIdentityKey: members.get('p1')!.identity.privateKey });
    expect(() => openShamirShare(misSealed, resharing, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2'))).toThrow(/does not open with p2's sealing key/);
    expect(() => openShamirShare(envelope, resharing, { from: 'mallory', to: 'p2' }, keysFor('p1', 'p2'))).toThrow(/mallory, who is not a dealer/);
    expect(() => openShamirShare(envelope.subarray(0, 60), resharing, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2'))).toThrow(/length fields|too short/);
  });

  it('refuses an envelope of another job, key epoch, collective key, threshold, roster or set of dealers', () => {
    const envelope = seal();
    for (const other of [
      { ...resharing, jobId: 'job-2' },
      { ...resharing, epoch: 2 },
      { ...resharing, keyFingerprint: 'cd'.repeat(32) },
      { ...resharing, threshold: 3 },
      { ...resharing, roster: ['p1', 'p2', 'p3', 'p4'] },
      { ...resharing, dealers: ['p1', 'p2'] },
    ]) {
      expect(() => openShamirShare(envelope, other, { from: 'p1', to: 'p2' }, keysFor('p1', 'p2'))).toThrow(/signature does not verify/);
    }
  });
});
