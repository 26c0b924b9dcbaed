import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { formatConfigIssues } from './format-config-issues.js';
import { decryptionThreshold, jobSpecSchema, usesTofnCustody, type JobSpecInput } from './job-spec.js';

const base: JobSpecInput = {
  jobId: 'tofn',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 1 },
  federation: { participants: ['a', 'b', 'c', 'd', 'e'], minParticipants: 3 },
};

function issues(custody: unknown): string {
  const result = jobSpecSchema.safeParse({ ...base, custody });
  if (result.success) return '';
  return formatConfigIssues('job.json', result.error);
}

describe('custody.threshold (t-of-N) in the job file', () => {
  it('omitted: t = N, the N-of-N protocol, and the parsed job is what it was before the field existed', () => {
    const job = jobSpecSchema.parse({ ...base, custody: { mode: 'threshold' } });
    expect(decryptionThreshold(job)).toBe(5);
    expect(usesTofnCustody(job)).toBe(false);
    expect('threshold' in job.custody).toBe(false);
    expect(canonicalJson(job.custody)).toBe(canonicalJson({ mode: 'threshold', verifyAggregate: true, smudgingSigmaBits: 40 }));
  });

  it('2 ≤ t ≤ N is accepted; t = N is N-of-N', () => {
    expect(decryptionThreshold(jobSpecSchema.parse({ ...base, custody: { mode: 'threshold', threshold: 3 } }))).toBe(3);
    expect(usesTofnCustody(jobSpecSchema.parse({ ...base, custody: { mode: 'threshold', threshold: 2 } }))).toBe(true);
    expect(usesTofnCustody(jobSpecSchema.parse({ ...base, custody: { mode: 'threshold', threshold: 5 } }))).toBe(false);
  });

  it.each([
    [1, /custody\.threshold: must be at least 2/],
    [0, /custody\.threshold: must be at least 2/],
    [2.5, /custody\.threshold: must be a whole number/],
    [6, /custody\.threshold: is 6 but only 5 participants are listed; use 2\.\.5/],
  ])('refuses threshold %s, naming custody.threshold', (threshold, message) => {
    expect(issues({ mode: 'threshold', threshold })).toMatch(message);
  });

  it('is a threshold-custody field only', () => {
    expect(issues({ mode: 'single-key', threshold: 3 })).toMatch(/custody: .*threshold|unknown field/);
  });
});

describe('t-of-N custody requires aggregate verification', () => {
  it('refuses verifyAggregate: false when t < N, naming custody.verifyAggregate', () => {
    expect(issues({ mode: 'threshold', threshold: 3, verifyAggregate: false })).toMatch(/custody\.verifyAggregate: must stay on under t-of-N custody/);
    expect(issues({ mode: 'threshold', verifyAggregate: false })).toBe('');
  });
});
