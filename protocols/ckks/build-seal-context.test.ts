import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../errors.js';
import { buildSealContext } from './build-seal-context.js';
import { CkksSession } from './ckks-session.js';
import { loadSeal } from './load-seal.js';
import { liveSealHandleCount } from './seal-handle-count.js';
import { ThresholdCkksContext } from './threshold/threshold-context.js';

describe('buildSealContext', () => {
  it('builds a context for 128-bit secure parameters and counts no handle it does not hand back', async () => {
    const seal = await loadSeal();
    const before = liveSealHandleCount();
    const context = buildSealContext(seal, { polyModulusDegree: 8192, coeffModulusBits: [55, 55, 60], scaleBits: 72 });
    expect(context.parametersSet()).toBe(true);
    context.delete();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('refuses a modulus too large for N (4096 holds at most 109 bits at 128-bit security)', async () => {
    const seal = await loadSeal();
    const before = liveSealHandleCount();
    expect(() => buildSealContext(seal, { polyModulusDegree: 4096, coeffModulusBits: [40, 40, 40], scaleBits: 30 })).toThrow(/128-bit/);
    expect(liveSealHandleCount()).toBe(before);
  });

  // The single-key session used to call CoeffModulus.Create outside its try, so a SEAL failure there
  // escaped as a raw SEAL exception (and leaked the EncryptionParameters); the threshold context wrapped
  // it. Both now share the stricter path: a CiphertextError and no leaked handle.
  it('turns a SEAL failure while choosing primes into a CiphertextError, for the session and the threshold context alike', async () => {
    const before = liveSealHandleCount();
    const impossible = { polyModulusDegree: 8192, coeffModulusBits: [61], scaleBits: 40 } as const;
    await expect(CkksSession.create({ ...impossible, coeffModulusBits: [...impossible.coeffModulusBits] })).rejects.toThrow(CiphertextError);
    await expect(ThresholdCkksContext.create({ ...impossible, coeffModulusBits: [...impossible.coeffModulusBits] })).rejects.toThrow(CiphertextError);
    expect(liveSealHandleCount()).toBe(before);
  });
});
