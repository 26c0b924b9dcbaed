import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { rnsPrimes } from './rns-words.js';
import { decodeShare, encodeShare, SHARE_HEADER_BYTES, type ShareFields } from './share-format.js';
import type { RnsLevel } from './threshold-context.js';

const level: RnsLevel = {
  parmsId: new Uint8Array(32).fill(7),
  parmsIdHex: '07'.repeat(32),
  primes: rnsPrimes([1152921504606683137n, 1152921504606748673n]),
  primeCount: 2,
};
const header = { kind: 'decryption-share', polyModulusDegree: 4, level, chunkIndex: 1, chunkCount: 3, binding: new Uint8Array(32).fill(9) } as const;

describe('share format', () => {
  it('round-trips and checks every header field and coefficient', () => {
    const words = Uint32Array.from({ length: 16 }, (_, index) => index);
    const fields: ShareFields = { ...header, words };
    const bytes = encodeShare(fields);
    expect(bytes.length).toBe(SHARE_HEADER_BYTES + 64);
    expect(Array.from(decodeShare(bytes, header, 'share'))).toEqual(Array.from(words));
    // A Buffer at an odd offset decodes the same.
    const padded = Buffer.concat([Buffer.alloc(3), bytes]).subarray(3);
    expect(Array.from(decodeShare(padded, header, 'share'))).toEqual(Array.from(words));

    const expectRefused = (bytes: Uint8Array, expected = header as Omit<ShareFields, 'words'>) =>
      expect(() => decodeShare(bytes, expected, 'share')).toThrow(CiphertextError);
    expectRefused(bytes.subarray(1));
    expectRefused(encodeShare({ ...fields, chunkIndex: 2 }));
    expectRefused(bytes, { ...header, chunkCount: 4 });
    expectRefused(bytes, { ...header, kind: 'public-key-share' });
    expectRefused(bytes, { ...header, binding: new Uint8Array(32) });
    expectRefused(bytes, { ...header, level: { ...level, parmsId: new Uint8Array(32) } });
    const unreduced = Uint8Array.from(bytes);
    unreduced.fill(0xff, SHARE_HEADER_BYTES + 8, SHARE_HEADER_BYTES + 16);
    expect(() => decodeShare(unreduced, header, 'share')).toThrow(/coefficient 1 is not below its prime/);
  });
});
