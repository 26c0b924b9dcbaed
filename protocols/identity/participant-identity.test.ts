import { describe, expect, it } from 'vitest';
import {
  generateIdentity,
  loadIdentityPrivateKey,
  loadIdentityPublicKey,
  signKeySetupValue,
  signUpdate,
  UpdateDigest,
  verifyKeySetupValue,
  verifyUpdateSignature,
} from './participant-identity.js';

describe('key-setup signatures', () => {
  const identity = generateIdentity();
  const privateKey = loadIdentityPrivateKey(identity.privateKeyPem);
  const publicKey = loadIdentityPublicKey(identity.publicKeyPem);
  const context = { jobId: 'job', participantId: 'bank', step: 'public-share' };
  const value = new Uint8Array([1, 2, 3, 4]);

  it('verifies a value signed for its context', () => {
    expect(verifyKeySetupValue(publicKey, context, value, signKeySetupValue(privateKey, context, value))).toBe(true);
  });

  it('rejects another value, another context, another key and a mangled signature', () => {
    const signature = signKeySetupValue(privateKey, context, value);
    expect(verifyKeySetupValue(publicKey, context, new Uint8Array([1, 2, 3, 5]), signature)).toBe(false);
    expect(verifyKeySetupValue(publicKey, { ...context, participantId: 'shop' }, value, signature)).toBe(false);
    expect(verifyKeySetupValue(publicKey, { ...context, step: 'seed-reveal' }, value, signature)).toBe(false);
    expect(verifyKeySetupValue(loadIdentityPublicKey(generateIdentity().publicKeyPem), context, value, signature)).toBe(false);
    expect(verifyKeySetupValue(publicKey, context, value, signature.subarray(1))).toBe(false);
  });
});

describe('update signatures', () => {
  const identity = generateIdentity();
  const privateKey = loadIdentityPrivateKey(identity.privateKeyPem);
  const publicKey = loadIdentityPublicKey(identity.publicKeyPem);
  const context = { jobId: 'job', participantId: 'bank', round: 3, kind: 'training', vectorLength: 63, chunkCount: 2 };
  const digestOf = (chunks: Uint8Array[]): Buffer => {
    const digest = new UpdateDigest();
    for (const chunk of chunks) digest.add(chunk);
    return digest.digest();
  };
  const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];

  it('binds the chunks, their boundaries, the round, the kind and the layout', () => {
    const signature = signUpdate(privateKey, context, digestOf(chunks));
    expect(verifyUpdateSignature(publicKey, context, digestOf(chunks), signature)).toBe(true);
    expect(verifyUpdateSignature(publicKey, context, digestOf([new Uint8Array([1, 2]), new Uint8Array([3, 4, 5])]), signature)).toBe(false);
    expect(verifyUpdateSignature(publicKey, { ...context, round: 4 }, digestOf(chunks), signature)).toBe(false);
    expect(verifyUpdateSignature(publicKey, { ...context, kind: 'evaluation' }, digestOf(chunks), signature)).toBe(false);
    expect(verifyUpdateSignature(publicKey, { ...context, vectorLength: context.vectorLength + 1 }, digestOf(chunks), signature)).toBe(false);
  });

  it('covers the list of chunk hashes: a node holding only some chunks and the list verifies the same signature', () => {
    const digest = new UpdateDigest();
    for (const chunk of chunks) digest.add(chunk);
    const signature = signUpdate(privateKey, context, digest.digest());
    const hashes = digest.chunkHashes();
    expect(hashes).toHaveLength(2);
    expect(verifyUpdateSignature(publicKey, context, UpdateDigest.ofChunkHashes(hashes), signature)).toBe(true);
    const altered = [hashes[0] as Buffer, Buffer.alloc(32, 9)];
    expect(verifyUpdateSignature(publicKey, context, UpdateDigest.ofChunkHashes(altered), signature)).toBe(false);
    expect(verifyUpdateSignature(publicKey, context, UpdateDigest.ofChunkHashes([hashes[1] as Buffer, hashes[0] as Buffer]), signature)).toBe(false);
    expect(() => UpdateDigest.ofChunkHashes([Buffer.alloc(31)])).toThrow(/32/);
  });
});
