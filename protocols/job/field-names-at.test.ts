import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { fieldNamesAt } from './field-names-at.js';
import { jobSpecSchema } from './job-spec.js';
import { parseConfigText } from './read-config-file.js';

const job = {
  jobId: 'typo',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 2 },
  federation: { participants: ['a', 'b'], minParticipants: 2 },
};

describe('misspelt fields in a job file', () => {
  it('knows the field names at each level, through defaults, transforms and unions', () => {
    expect(fieldNamesAt(jobSpecSchema, ['training'])).toContain('localEpochs');
    expect(fieldNamesAt(jobSpecSchema, [])).toContain('federation');
    expect(fieldNamesAt(jobSpecSchema, ['custody'])).toEqual(expect.arrayContaining(['mode', 'verifyAggregate', 'smudgingSigmaBits']));
  });

  it('are errors naming the field and suggesting the right one, not silent defaults', () => {
    const text = JSON.stringify({ ...job, training: { rounds: 2, localEpoch: 5 } });
    expect(() => parseConfigText(text, 'job.json', jobSpecSchema)).toThrow(ConfigError);
    expect(() => parseConfigText(text, 'job.json', jobSpecSchema)).toThrow(/job\.json: training\.localEpoch: unknown field; did you mean "localEpochs"\?/);
    expect(() => parseConfigText(JSON.stringify({ ...job, federaton: {} }), 'job.json', jobSpecSchema)).toThrow(/federaton: unknown field; did you mean "federation"/);
  });
});
