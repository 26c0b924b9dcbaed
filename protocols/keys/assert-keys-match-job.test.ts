import { describe, expect, it } from 'vitest';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError } from '../errors.js';
import { jobSpecSchema } from '../job/job-spec.js';
import { assertKeysMatchJob } from './assert-keys-match-job.js';

const job = jobSpecSchema.parse({
  jobId: 'match-test',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2 },
});
const manifest = { jobId: job.jobId, parametersFingerprint: ckksParametersFingerprint(job.ckks), custody: job.custody.mode };

function failure(run: () => void): Error {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as Error;
  }
  throw new Error('expected a ConfigError');
}

describe('assertKeysMatchJob', () => {
  it('accepts a folder made for this job, for either holder', () => {
    expect(() => assertKeysMatchJob(manifest, job, 'coordinator')).not.toThrow();
    expect(() => assertKeysMatchJob(manifest, job, 'participant')).not.toThrow();
  });

  it('coordinator: refuses a folder of another job; a participant checks the job id elsewhere', () => {
    const other = { ...manifest, jobId: 'other-job' };
    expect(failure(() => assertKeysMatchJob(other, job, 'coordinator')).message).toBe('the coordinator key folder is for job "other-job", the job file is "match-test"');
    expect(() => assertKeysMatchJob(other, job, 'participant')).not.toThrow();
  });

  it('refuses other CKKS parameters with each holder\'s message', () => {
    const other = { ...manifest, parametersFingerprint: 'e'.repeat(64) };
    expect(failure(() => assertKeysMatchJob(other, job, 'coordinator')).message).toBe('the job file\'s ckks parameters differ from those the coordinator keys were made for');
    expect(failure(() => assertKeysMatchJob(other, job, 'participant')).message).toBe(
      'the job\'s CKKS parameters differ from those of this node\'s key folder; refusing to take part',
    );
  });

  it('refuses another custody mode with each holder\'s message', () => {
    const other = { ...manifest, custody: 'single-key' as const };
    expect(failure(() => assertKeysMatchJob(other, job, 'coordinator')).message).toBe('the job asks for threshold custody; the coordinator key folder was made for single-key');
    expect(failure(() => assertKeysMatchJob(other, job, 'participant')).message).toBe('the job uses threshold custody; this node\'s key folder was made for single-key');
  });

  it('checks the job id first, then the parameters, then the custody', () => {
    const allWrong = { jobId: 'other-job', parametersFingerprint: 'e'.repeat(64), custody: 'none' as const };
    expect(failure(() => assertKeysMatchJob(allWrong, job, 'coordinator')).message).toMatch(/is for job "other-job"/);
    expect(failure(() => assertKeysMatchJob(allWrong, job, 'participant')).message).toMatch(/CKKS parameters differ/);
  });
});
