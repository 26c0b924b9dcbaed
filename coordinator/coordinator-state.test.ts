import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { loadCoordinatorState, saveCoordinatorState, type CoordinatorState } from './coordinator-state.js';

const job = jobSpecSchema.parse({
  jobId: 'state-test',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], categorical: [], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: [] },
  training: { rounds: 3, localEpochs: 1, batchSize: 8, learningRate: 0.1, optimizer: 'sgd', seed: 1 },
  federation: { participants: ['a', 'b'], minParticipants: 2 },
});

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

function stateFor(lastCompletedRound: number): CoordinatorState {
  return {
    format: 'hefl-coordinator-state/1',
    jobId: job.jobId,
    jobSha256: jobSha256(job),
    lastCompletedRound,
    collectiveKeySha256: 'c'.repeat(64),
    rounds: Array.from({ length: lastCompletedRound + 1 }, (_, round) => ({
      round,
      kind: round === 0 ? ('statistics' as const) : ('training' as const),
      contributors: ['a', 'b'],
      meanLocalLoss: round === 0 ? null : 0.5,
      heldOutAuc: null,
      heldOutLoss: null,
      evaluationCount: 0,
      totalWeight: 10,
      bytesReceived: 5,
      bytesSent: 6,
      seconds: 0.5,
    })),
    sampleCounts: { a: 4, b: 6 },
    bytesReceived: 5,
    bytesSent: 6,
    startedAt: '2026-11-23T00:00:00.000Z',
    savedAt: '2026-11-23T00:00:01.000Z',
  };
}

describe('coordinator state', () => {
  it('round-trips through its file, and resumes only the very same job', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-state-'));
    directories.push(directory);
    const path = join(directory, 'state.json');
    await saveCoordinatorState(path, stateFor(1));
    expect(await loadCoordinatorState(path, job)).toEqual(stateFor(1));
    const edited = jobSpecSchema.parse({ ...job, training: { ...job.training, learningRate: 0.2 } });
    await expect(loadCoordinatorState(path, edited)).rejects.toThrow(/state of another job \(or of an edited job file\)/);
  });

  it('names the file and the field when the state is damaged or missing', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-state-bad-'));
    directories.push(directory);
    await expect(loadCoordinatorState(join(directory, 'none.json'), job)).rejects.toThrow(/none\.json: no coordinator state to resume from/);
    const path = join(directory, 'state.json');
    await writeFile(path, '{"format":"hefl-coordinator-state/1"');
    await expect(loadCoordinatorState(path, job)).rejects.toThrow(/state\.json: not JSON/);
    await writeFile(path, JSON.stringify({ ...stateFor(1), lastCompletedRound: -3 }));
    await expect(loadCoordinatorState(path, job)).rejects.toThrow(/lastCompletedRound/);
    await writeFile(path, JSON.stringify({ ...stateFor(1), lastCompletedRound: 2 }));
    await expect(loadCoordinatorState(path, job)).rejects.toThrow(/lastCompletedRound 2 is not the last of its rounds \(1\)/);
  });
});
