import { describe, expect, it } from 'vitest';
import { WireMessageError } from '../../errors.js';
import { COMMON_SEED_BYTES, createSeedContribution, deriveCommonSeed, verifySeedReveal } from './common-seed.js';

describe('common seed commit–reveal', () => {
  const alice = { jobId: 'job-1', participantId: 'alice' };

  it('accepts the honest reveal and refuses a wrong seed, job or participant', () => {
    const { seed, commitment } = createSeedContribution(alice);
    expect(seed).toHaveLength(32);
    expect(verifySeedReveal(commitment, seed, alice)).toBe(true);
    const other = Uint8Array.from(seed);
    other[0] = (other[0] as number) ^ 1;
    expect(verifySeedReveal(commitment, other, alice)).toBe(false);
    expect(verifySeedReveal(commitment, seed, { ...alice, jobId: 'job-2' })).toBe(false);
    expect(verifySeedReveal(commitment, seed, { ...alice, participantId: 'bob' })).toBe(false);
    expect(verifySeedReveal(commitment, seed.subarray(0, 31), alice)).toBe(false);
    expect(verifySeedReveal('not-hex', seed, alice)).toBe(false);
  });

  it('derives 64 bytes independent of arrival order, different per job and per seed', () => {
    const reveals = ['carol', 'alice', 'bob'].map((participantId) => ({
      participantId,
      seed: createSeedContribution({ jobId: 'job-1', participantId }).seed,
    }));
    const seed = deriveCommonSeed('job-1', reveals);
    expect(seed).toHaveLength(COMMON_SEED_BYTES);
    expect(seed.constructor).toBe(Uint8Array);
    expect(deriveCommonSeed('job-1', [...reveals].reverse())).toEqual(seed);
    expect(deriveCommonSeed('job-2', reveals)).not.toEqual(seed);
    const changed = reveals.map((reveal, index) => (index === 0 ? { ...reveal, seed: new Uint8Array(32) } : reveal));
    expect(deriveCommonSeed('job-1', changed)).not.toEqual(seed);
    // The ids are bound too: swapping two parties' seeds changes the result.
    const swapped = reveals.map((reveal, index) => ({ ...reveal, seed: (reveals[(index + 1) % 3] as (typeof reveals)[number]).seed }));
    expect(deriveCommonSeed('job-1', swapped)).not.toEqual(seed);
  });

  it('refuses duplicate participants, bad seed sizes and empty input', () => {
    const seed = new Uint8Array(32);
    expect(() => deriveCommonSeed('job', [{ participantId: 'a', seed }, { participantId: 'a', seed }])).toThrow(WireMessageError);
    expect(() => deriveCommonSeed('job', [{ participantId: 'a', seed: new Uint8Array(31) }])).toThrow(/32 bytes/);
    expect(() => deriveCommonSeed('job', [])).toThrow(WireMessageError);
    expect(() => deriveCommonSeed('', [{ participantId: 'a', seed }])).toThrow(WireMessageError);
  });
});
