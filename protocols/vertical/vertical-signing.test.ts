import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../identity/participant-identity.js';
import { verticalAddress, type VerticalAddress } from './vertical-address.js';
import { signVerticalMessage, verifyVerticalMessage } from './vertical-signing.js';

const insurer = generateIdentity();
const other = generateIdentity();
const privateKey = loadIdentityPrivateKey(insurer.privateKeyPem);
const publicKey = loadIdentityPublicKey(insurer.publicKeyPem);
const JOB = 'job-signing';
const address = verticalAddress('coefficient-shares', { epoch: 2, batch: 5, owner: 'telco', hop: 0, sender: 'insurer', recipient: 'telco' });
const payload = new Uint8Array(randomBytes(200));
const signature = signVerticalMessage(privateKey, JOB, address, payload);

describe('vertical message signatures', () => {
  it('verify for the exact job, address and payload', () => {
    expect(signature).toHaveLength(64);
    expect(verifyVerticalMessage(publicKey, JOB, address, payload, signature)).toBe(true);
  });

  it('bind the job', () => {
    expect(verifyVerticalMessage(publicKey, 'job-signing2', address, payload, signature)).toBe(false);
  });

  const changes: [keyof VerticalAddress, VerticalAddress[keyof VerticalAddress]][] = [
    ['kind', 'score-shares'],
    ['epoch', 3],
    ['batch', 6],
    ['owner', 'bank'],
    ['hop', 1],
    ['sender', 'bank'],
    ['recipient', 'bank'],
  ];
  for (const [field, value] of changes) {
    it(`bind the address field ${field}`, () => {
      expect(verifyVerticalMessage(publicKey, JOB, { ...address, [field]: value }, payload, signature)).toBe(false);
    });
  }

  it('cannot be shifted between fields (the canonical address key separates them)', () => {
    // owner "telco" + hop 0 must not read like owner "telc" + something: every field is delimited.
    expect(verifyVerticalMessage(publicKey, JOB, { ...address, owner: 'telco/0', hop: 0 }, payload, signature)).toBe(false);
  });

  it('bind every payload byte, and the payload length', () => {
    for (const index of [0, 99, 199]) {
      const flipped = Uint8Array.from(payload);
      flipped[index] = (flipped[index] as number) ^ 0x01;
      expect(verifyVerticalMessage(publicKey, JOB, address, flipped, signature)).toBe(false);
    }
    expect(verifyVerticalMessage(publicKey, JOB, address, payload.subarray(0, 199), signature)).toBe(false);
  });

  it('fail under another party\'s key, and for a mangled or truncated signature (without throwing)', () => {
    expect(verifyVerticalMessage(loadIdentityPublicKey(other.publicKeyPem), JOB, address, payload, signature)).toBe(false);
    const mangled = Uint8Array.from(signature);
    mangled[10] = (mangled[10] as number) ^ 0x80;
    expect(verifyVerticalMessage(publicKey, JOB, address, payload, mangled)).toBe(false);
    expect(verifyVerticalMessage(publicKey, JOB, address, payload, signature.subarray(0, 63))).toBe(false);
    expect(verifyVerticalMessage(publicKey, JOB, address, payload, new Uint8Array(0))).toBe(false);
  });
});
