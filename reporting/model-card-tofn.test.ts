import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { softwareVersions } from '../protocols/wire/software-versions.js';
import { writeTrainingReport } from './write-training-report.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('the model card under t-of-N custody', () => {
  it('states t, N and the collusion bound t − 1', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-card-tofn-'));
    directories.push(directory);
    const job = jobSpecSchema.parse({
      jobId: 'card-tofn',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
      training: { rounds: 1 },
      federation: { participants: ['a', 'b', 'c', 'd', 'e'], minParticipants: 3 },
      custody: { mode: 'threshold', threshold: 3 },
    });
    await writeTrainingReport(
      directory,
      {
        job,
        rounds: [{ round: 1, kind: 'training', contributors: ['a', 'b', 'c'], meanLocalLoss: 0.3, heldOutAuc: 0.7, bytesReceived: 1000, seconds: 0.5 }],
        participants: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, sampleCount: 10 })),
        finalAuc: 0.7,
        baselineAuc: 0.7,
        ckksParametersFingerprint: 'f'.repeat(64),
        generatedAt: '2026-12-03T00:00:00Z',
        versions: softwareVersions(),
      },
      {},
    );
    const card = await readFile(join(directory, 'model-card.md'), 'utf8');
    expect(card).toMatch(/t-of-N threshold CKKS \(t = 3 of 5\).*any 3 participants together could decrypt an individual update \(collusion bound 2\)/);
    expect(card).not.toMatch(/N-of-N/);
  });
});
