import { describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../errors.js';
import { createSealingKeyPair, openSealed, SEALED_BOX_OVERHEAD, sealedBoxContext, sealTo } from './sealed-box.js';

const context = (overrides: Partial<Parameters<typeof sealedBoxContext>[0]> = {}): Uint8Array =>
  sealedBoxContext({ jobId: 'job-1', batch: 7, owner: 'bank', from: 'host-e', feature: 3, ...overrides });

describe('sealed box (X25519 + HKDF-SHA-256 + AES-256-GCM)', () => {
  const bank = createSealingKeyPair();
  const host = createSealingKeyPair();
  const share = Uint8Array.from({ length: 16 }, (_, index) => index * 17);

  it('opens for the recipient under the same context, with 49 bytes of overhead and a fresh box each time', () => {
    const sealed = sealTo(bank.publicKey, share, context());
    expect(sealed.length).toBe(share.length + SEALED_BOX_OVERHEAD);
    expect(openSealed(bank.privateKey, sealed, context())).toEqual(share);
    expect(sealTo(bank.publicKey, share, context())).not.toEqual(sealed);
  });

  it('refuses the wrong recipient, any other context, and every single flipped byte', () => {
    const sealed = sealTo(bank.publicKey, share, context());
    expect(() => openSealed(host.privateKey, sealed, context())).toThrow(CiphertextError);
    for (const other of [context({ jobId: 'job-2' }), context({ batch: 8 }), context({ owner: 'host-e' }), context({ from: 'host-g' }), context({ feature: 4 }), context({ purpose: 'x' })]) {
      expect(() => openSealed(bank.privateKey, sealed, other)).toThrow(/does not open/);
    }
    for (let offset = 0; offset < sealed.length; offset += 1) {
      const flipped = Uint8Array.from(sealed);
      flipped[offset] = (flipped[offset] as number) ^ 0x01;
      expect(() => openSealed(bank.privateKey, flipped, context()), `byte ${offset}`).toThrow(CiphertextError);
    }
    expect(() => openSealed(bank.privateKey, sealed.subarray(0, 40), context())).toThrow(/shorter/);
  });

  it('keeps context fields apart (length-prefixed) and refuses malformed or low-order public keys', () => {
    expect(sealedBoxContext({ jobId: 'a', batch: 1, owner: 'bc', from: 'd', feature: 0 })).not.toEqual(sealedBoxContext({ jobId: 'ab', batch: 1, owner: 'c', from: 'd', feature: 0 }));
    expect(() => sealTo(bank.publicKey.subarray(0, 31), share, context())).toThrow(KeyCustodyError);
    expect(() => sealTo(new Uint8Array(32), share, context())).toThrow(CiphertextError); // the zero point has low order
    expect(() => openSealed(bank.privateKey, Uint8Array.from([2, ...sealTo(bank.publicKey, share, context()).subarray(1)]), context())).toThrow(/version/);
  });
});
