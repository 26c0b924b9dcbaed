import { describe, expect, it } from 'vitest';
import type { CkksParameters } from './ckks-parameters.js';
import { ciphertextProbe } from './ciphertext-probe.js';
import { CkksSession } from './ckks-session.js';
import { liveSealHandleCount } from './seal-handle-count.js';

describe('ciphertextProbe', () => {
  it('accepts a ciphertext, refuses other bytes, and frees what it loaded', async () => {
    const parameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [40, 40, 60], scaleBits: 40 };
    const keyMaker = await CkksSession.create(parameters);
    const keys = keyMaker.generateKeyPair();
    keyMaker.dispose();
    const session = await CkksSession.create(parameters, keys);
    try {
      const [ciphertext] = session.encryptVector(Float64Array.of(1, 2, 3));
      const before = liveSealHandleCount();
      const probe = ciphertextProbe(session, 'probed payload');
      expect(probe(ciphertext as Uint8Array)).toBe(true);
      expect(probe(new Uint8Array(64))).toBe(false);
      expect(probe(Uint8Array.from(Buffer.from('not a ciphertext at all')))).toBe(false);
      expect(liveSealHandleCount()).toBe(before);
    } finally {
      session.dispose();
    }
  });
});
