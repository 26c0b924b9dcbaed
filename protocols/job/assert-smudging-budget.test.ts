import { describe, expect, it } from 'vitest';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { assertSmudgingBudget } from './assert-smudging-budget.js';
import { jobSpecSchema, type JobSpecInput } from './job-spec.js';

const base: JobSpecInput = {
  jobId: 'budget',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 10 },
  federation: { participants: ['a', 'b', 'c'], minParticipants: 3 },
};

describe('assertSmudgingBudget', () => {
  it('accepts the default 2^40 for a small model and a few rounds', () => {
    expect(() => assertSmudgingBudget(jobSpecSchema.parse(base))).not.toThrow();
  });

  it('refuses smudging below the floor that protects the secret shares', () => {
    // The schema's own floor is 30; the check also guards jobs built in code.
    const job = jobSpecSchema.parse(base);
    expect(() => assertSmudgingBudget({ ...job, custody: { mode: 'threshold', verifyAggregate: false, smudgingSigmaBits: 20 } })).toThrow(KeyCustodyError);
  });

  it('asks for more noise when many parties decrypt many ciphertexts', () => {
    const job = jobSpecSchema.parse({
      ...base,
      model: { kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 4096 }, { type: 'dense', units: 256 }] },
      features: { numeric: Array.from({ length: 200 }, (_, index) => `x${index}`), label: { column: 'y', positive: '1', negative: '0' } },
      training: { rounds: 10_000 },
      federation: { participants: Array.from({ length: 1_000 }, (_, index) => `p${index}`), minParticipants: 2 },
      custody: { mode: 'threshold', smudgingSigmaBits: 30 },
    });
    expect(() => assertSmudgingBudget(job)).toThrow(ConfigError);
  });

  it('does nothing for single-key custody', () => {
    expect(() => assertSmudgingBudget(jobSpecSchema.parse({ ...base, custody: { mode: 'single-key' } }))).not.toThrow();
  });
});
