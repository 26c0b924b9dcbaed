import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { ThresholdCkksContext, withThresholdContext } from './threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';

describe('ThresholdCkksContext', () => {
  it('describes the key and data levels and frees every handle', async () => {
    const before = liveSealHandleCount();
    const context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    expect(liveSealHandleCount()).toBeGreaterThan(before);
    expect(context.keyLevel.primeCount).toBe(3);
    expect(context.dataLevels.map((level) => level.primeCount)).toEqual([2, 1]);
    expect(context.dataLevels[0]?.primes.values).toEqual(context.keyLevel.primes.values.slice(0, 2));
    expect(context.dataLevel(context.keyLevel.parmsId)).toBeUndefined(); // the key level is no data level
    expect(context.dataLevel(context.dataLevels[1]?.parmsId as Uint8Array)?.primeCount).toBe(1);
    context.dispose();
    context.dispose();
    expect(liveSealHandleCount()).toBe(before);
    expect(() => context.keyLevel).toThrow(CiphertextError);
    await expect(withThresholdContext(context, () => 1)).rejects.toThrow(/disposed/);
  });

  it('works for one prime, where the key level is the data level', async () => {
    const before = liveSealHandleCount();
    const result = await withThresholdContext({ polyModulusDegree: 8192, coeffModulusBits: [60], scaleBits: 40 }, (context) => {
      expect(context.dataLevels).toHaveLength(1);
      expect(context.dataLevels[0]?.parmsIdHex).toBe(context.keyLevel.parmsIdHex);
      return 'done';
    });
    expect(result).toBe('done');
    expect(liveSealHandleCount()).toBe(before);
  });

  it('refuses parameters that are not 128-bit secure', async () => {
    const before = liveSealHandleCount();
    await expect(ThresholdCkksContext.create({ polyModulusDegree: 4096, coeffModulusBits: [60, 60, 60], scaleBits: 80 })).rejects.toThrow(CiphertextError);
    expect(liveSealHandleCount()).toBe(before);
  });
});
