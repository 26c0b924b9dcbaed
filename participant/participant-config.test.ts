import { describe, expect, it } from 'vitest';
import { participantConfigSchema } from './participant-config.js';

const base = { participantId: 'bank', jobId: 'job', coordinator: '127.0.0.1:7700', dataCsv: 'data.csv', keysDir: 'keys' };

describe('participantConfigSchema: compareWithLocalOnly', () => {
  it('is off by default', () => {
    expect(participantConfigSchema.parse(base).compareWithLocalOnly).toBe(false);
  });

  it('is accepted with an evaluationCsv and refused without one', () => {
    expect(participantConfigSchema.parse({ ...base, evaluationCsv: 'holdout.csv', compareWithLocalOnly: true }).compareWithLocalOnly).toBe(true);
    const refused = participantConfigSchema.safeParse({ ...base, compareWithLocalOnly: true });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['compareWithLocalOnly'], message: expect.stringMatching(/needs an evaluationCsv/) });
  });
});
