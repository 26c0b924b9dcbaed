import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { participantConfigSchema } from '../participant/participant-config.js';
import { ConfigError } from '../protocols/errors.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { scaffoldFederation } from './scaffold-federation.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import { readFile } from 'node:fs/promises';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('hefl init', () => {
  it('writes a valid commented job file and node configs, and refuses to overwrite', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-init-'));
    directories.push(directory);
    await scaffoldFederation('bank-marketing', directory);
    const job = await readConfigFile(join(directory, 'job.yaml'), jobSpecSchema);
    expect(job.custody).toEqual({ mode: 'threshold', verifyAggregate: true, smudgingSigmaBits: 40 });
    expect(job.features.ignored).toEqual(['duration']);
    const node = await readConfigFile(join(directory, 'nodes', 'ecommerce.yaml'), participantConfigSchema);
    expect(node.jobId).toBe(job.jobId);
    await expect(scaffoldFederation('bank-marketing', directory)).rejects.toThrow(ConfigError);
  });

  it.skipIf(!bankMarketingDataAvailable)('with --dataset writes each institution\'s slice and the bank\'s holdout', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-init-data-'));
    directories.push(directory);
    const written = await scaffoldFederation('bank-marketing', directory, { dataset: bankMarketingDataPath });
    expect(written.filter((path) => path.endsWith('.csv')).map((path) => path.slice(directory.length + 1)).sort()).toEqual([
      'data/bank.csv',
      'data/ecommerce.csv',
      'data/government.csv',
      'data/holdout.csv',
    ]);
    const rows = async (name: string): Promise<number> => (await readFile(join(directory, 'data', name), 'utf8')).trim().split('\n').length - 1;
    expect((await rows('bank.csv')) + (await rows('ecommerce.csv')) + (await rows('government.csv')) + (await rows('holdout.csv'))).toBe(41_188);
    const bank = await readConfigFile(join(directory, 'nodes', 'bank.yaml'), participantConfigSchema);
    expect(bank.evaluationCsv).toBe('../data/holdout.csv');
    const ecommerce = await readConfigFile(join(directory, 'nodes', 'ecommerce.yaml'), participantConfigSchema);
    expect(ecommerce.evaluationCsv).toBeUndefined();
  }, 60_000);
});
