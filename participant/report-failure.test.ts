import { describe, expect, it } from 'vitest';
import { ConfigError, DatasetError, HeflError, KeyCustodyError, RoundFailedError, WireMessageError } from '../protocols/errors.js';
import { failureCodeOf, failurePlaceOf } from './report-failure.js';

describe('failure report', () => {
  it('maps an error to a code by its class, never by its message', () => {
    expect(failureCodeOf(new DatasetError('data.csv:7: column "age": "4711-secret" is not a number'))).toBe('dataset-invalid');
    expect(failureCodeOf(new ConfigError('x'))).toBe('config-invalid');
    expect(failureCodeOf(new KeyCustodyError('x'))).toBe('custody-violation');
    expect(failureCodeOf(new WireMessageError('x'))).toBe('protocol-violation');
    expect(failureCodeOf(new HeflError('PROTOCOL_VIOLATION', 'x'))).toBe('protocol-violation');
    expect(failureCodeOf(new RoundFailedError('x'))).toBe('internal');
    expect(failureCodeOf(new RangeError('Array buffer allocation failed'))).toBe('out-of-memory');
    expect(failureCodeOf(new Error('dataset-invalid'))).toBe('internal');
    expect(failureCodeOf('a string')).toBe('internal');
  });

  it('names the phase and round from the event being handled', () => {
    expect(failurePlaceOf(undefined, -1)).toEqual({ phase: 'join', round: 0 });
    expect(failurePlaceOf({ type: 'round-started', round: 3, kind: 'training', deadlineUnixMs: 0 }, 2)).toEqual({ phase: 'training', round: 3 });
    expect(failurePlaceOf({ type: 'key-setup-requested', step: 'seed-reveal', previous: [] }, -1)).toEqual({ phase: 'key-setup', round: 0 });
    const decryption = { type: 'decryption-requested', round: 2, kind: 'evaluation', aggregateSha256: 'a'.repeat(64), chunkCount: 1, vectorLength: 1, contributors: ['bank'] } as const;
    expect(failurePlaceOf(decryption, 2)).toEqual({ phase: 'decryption', round: 2 });
    expect(failurePlaceOf({ type: 'job-finished', roundsCompleted: 4 }, 4)).toEqual({ phase: 'finish', round: 4 });
  });
});
