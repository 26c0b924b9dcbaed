import { describe, expect, it } from 'vitest';
import { jobSpecSchema, type JobSpecInput } from '../protocols/job/job-spec.js';
import { assertJobMeetsFloor, DEFAULT_PRIVACY_POLICY, privacyPolicySchema, resolvePrivacyFloor } from './privacy-policy.js';

const base: JobSpecInput = {
  jobId: 'floor',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 3 },
};
const job = (patch: Partial<JobSpecInput> = {}) => jobSpecSchema.parse({ ...base, ...patch });

describe('a participant\'s privacy floor', () => {
  it('defaults to every participant, verification on and one retry; never below 2 contributors', () => {
    expect(resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, job())).toEqual({ minContributors: 3, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 });
    const pair = job({ federation: { participants: ['bank', 'shop'], minParticipants: 2 } });
    expect(resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, pair).minContributors).toBe(2);
    expect(privacyPolicySchema.safeParse({ minContributors: 1 }).success).toBe(false);
    expect(privacyPolicySchema.safeParse({ minContributor: 2 }).success).toBe(false);
  });

  it('accepts the default job (verifyAggregate on by default)', () => {
    expect(() => assertJobMeetsFloor(job(), resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, job()))).not.toThrow();
  });

  it.each([
    ['a quorum of 1', { federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 1 } }, /federation\.minParticipants is 1, below privacy\.minContributors 3/],
    ['verification off', { custody: { mode: 'threshold', verifyAggregate: false } }, /custody\.verifyAggregate is false/],
    ['more retries', { federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 3, roundRetries: 3 } }, /roundRetries is 3, above privacy\.maxRoundRetries 1/],
  ] as const)('refuses a job with %s, naming the setting', (_name, patch, message) => {
    const weak = job(patch as Partial<JobSpecInput>);
    expect(() => assertJobMeetsFloor(weak, resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, weak))).toThrow(message);
  });

  it('a node may lower its floor to 2 of 3 explicitly, and a floor above the roster is refused', () => {
    const twoOfThree = job({ federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 2 } });
    expect(() => assertJobMeetsFloor(twoOfThree, resolvePrivacyFloor(privacyPolicySchema.parse({ minContributors: 2 }), twoOfThree))).not.toThrow();
    expect(() => assertJobMeetsFloor(job(), resolvePrivacyFloor(privacyPolicySchema.parse({ minContributors: 4 }), job()))).toThrow(/lists only 3/);
  });

  it('does not apply to custody modes without threshold decryption', () => {
    const single = job({ custody: { mode: 'single-key' }, federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 1 } });
    expect(() => assertJobMeetsFloor(single, resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, single))).not.toThrow();
  });
});

describe('privacy.minDecryptionThreshold (t-of-N custody)', () => {
  const fiveBanks = { participants: ['a', 'b', 'c', 'd', 'e'], minParticipants: 3 };
  const tofn = (threshold?: number) => job({ federation: fiveBanks, custody: threshold === undefined ? { mode: 'threshold' } : { mode: 'threshold', threshold } });
  const policy = privacyPolicySchema.parse({ minDecryptionThreshold: 4, minContributors: 3 });

  it('refuses at join a job whose t is below it, naming both settings', () => {
    expect(() => assertJobMeetsFloor(tofn(3), resolvePrivacyFloor(policy, tofn(3)))).toThrow(/custody\.threshold is 3, below privacy\.minDecryptionThreshold 4/);
  });

  it('accepts t at or above it, and N-of-N (threshold omitted)', () => {
    expect(() => assertJobMeetsFloor(tofn(4), resolvePrivacyFloor(policy, tofn(4)))).not.toThrow();
    expect(() => assertJobMeetsFloor(tofn(), resolvePrivacyFloor(policy, tofn()))).not.toThrow();
  });

  it('is an integer of at least 2', () => {
    expect(privacyPolicySchema.safeParse({ minDecryptionThreshold: 1 }).success).toBe(false);
    expect(privacyPolicySchema.safeParse({ minDecryptionThreshold: 2.5 }).success).toBe(false);
  });

  it('under t < N the default contributor floor is the job quorum (rounds complete without absent nodes)', () => {
    expect(resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, tofn(3)).minContributors).toBe(3);
    expect(resolvePrivacyFloor(DEFAULT_PRIVACY_POLICY, tofn()).minContributors).toBe(5);
  });
});
