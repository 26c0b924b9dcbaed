import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { participantConfigSchema } from '../participant/participant-config.js';
import { ConfigError } from '../protocols/errors.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { scaffoldFederation } from './scaffold-federation.js';

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
});
