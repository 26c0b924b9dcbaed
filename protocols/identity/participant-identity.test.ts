import { describe, expect, it } from 'vitest';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey, signKeySetupValue, verifyKeySetupValue } from './participant-identity.js';

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
