import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { jobSha256 } from '../job/job-sha256.js';
import { jobSpecSchema, type JobSpecInput } from '../job/job-spec.js';
import { assertJobPinned } from './assert-job-pinned.js';

const base: JobSpecInput = {
  jobId: 'pinned',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 3 },
  federation: { participants: ['a', 'b', 'c'], minParticipants: 3 },
};
const jobA = jobSpecSchema.parse(base);
const jobB = jobSpecSchema.parse({ ...base, training: { rounds: 4 } });

describe('assertJobPinned', () => {
  it('accepts the pinned job, also after a JSON round trip (as it arrives over the wire)', () => {
    const wire = jobSpecSchema.parse(JSON.parse(JSON.stringify(jobA)));
    expect(() => assertJobPinned(wire, { jobSha256: jobSha256(jobA) }, 'participant "a"')).not.toThrow();
  });

  it('pins nothing when the manifest has no job hash', () => {
    expect(() => assertJobPinned(jobB, {}, 'coordinator')).not.toThrow();
  });

  it('refuses another job, naming both hashes and who refuses', () => {
    const pinned = jobSha256(jobA);
    const actual = jobSha256(jobB);
    expect(jobB.ckks).toEqual(jobA.ckks);
    const refuse = (): void => assertJobPinned(jobB, { jobSha256: pinned }, 'participant "a"');
    expect(refuse).toThrow(ConfigError);
    expect(refuse).toThrow(pinned.slice(0, 12));
    expect(refuse).toThrow(actual.slice(0, 12));
    expect(refuse).toThrow(/participant "a" refuses job "pinned".*provisioned for another job/);
  });
});
