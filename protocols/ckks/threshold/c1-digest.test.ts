import { describe, expect, it } from 'vitest';
import { CkksSession } from '../ckks-session.js';
import { c1Digests, contributorSetDigest } from './c1-digest.js';
import { DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';
import { parseSealCiphertext, writeSealCiphertext } from './seal-layout.js';
import { ThresholdCkksContext } from './threshold-context.js';

describe('c1 digests: what a decryption guard keys on', () => {
  it('depend on c1 only: a modified c0 keeps the digest, another encryption changes it, compression does not matter', async () => {
    const parameters = { ...DEFAULT_THRESHOLD_CKKS, coeffModulusBits: [...DEFAULT_THRESHOLD_CKKS.coeffModulusBits] };
    const generator = await CkksSession.create(parameters);
    const session = await CkksSession.create(parameters, generator.generateKeyPair());
    generator.dispose();
    const context = await ThresholdCkksContext.create(parameters);
    try {
      const [first] = session.encryptVector([1, 2, 3]);
      const [second] = session.encryptVector([1, 2, 3]);
      const loaded = session.loadCiphertext(first as Uint8Array, 'first');
      const uncompressed = session.serializeCiphertext(loaded, 'none');
      session.release(loaded);
      const raw = parseSealCiphertext(uncompressed, 'first');
      const c0 = Uint32Array.from(raw.polys[0] as Uint32Array);
      c0[0] = ((c0[0] as number) + 1) >>> 0; // still below the prime: a different c0, the same c1
      const tampered = writeSealCiphertext({ ...raw, polys: [c0, raw.polys[1] as Uint32Array] });
      const [a, aUncompressed, aTampered, b] = await c1Digests(context, [first as Uint8Array, uncompressed, tampered, second as Uint8Array]);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(aUncompressed).toBe(a);
      expect(aTampered).toBe(a);
      expect(b).not.toBe(a);
    } finally {
      context.dispose();
      session.dispose();
    }
  }, 60_000);

  it('a contributor set digest ignores order and repeats, and differs between sets', () => {
    expect(contributorSetDigest(['b', 'a'])).toBe(contributorSetDigest(['a', 'b', 'a']));
    expect(contributorSetDigest(['a', 'b'])).not.toBe(contributorSetDigest(['a', 'b', 'c']));
  });
});
