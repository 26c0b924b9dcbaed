import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import type { FederationConnection } from './federation-connection.js';
import { ThresholdKeyHolder } from './threshold-key-holder.js';

const job = jobSpecSchema.parse({
  jobId: 'once-per-round',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], categorical: [], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: [] },
  training: { rounds: 3, localEpochs: 1, batchSize: 8, learningRate: 0.1, optimizer: 'sgd', seed: 1 },
  federation: { participants: ['a', 'b', 'c'], minParticipants: 3, roundRetries: 1 },
});

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** A request to decrypt round 2's aggregate of `contributors`. */
function request(contributors: string[]) {
  return {
    type: 'decryption-requested' as const,
    round: 2,
    kind: 'training' as const,
    totalWeight: 10,
    contributors,
    chunkCount: 1,
    vectorLength: 2,
    aggregateSha256: 'a'.repeat(64),
  };
}

describe('ThresholdKeyHolder: partial decryptions', () => {
  it('releases one per round, again only for the same contributors and at most 1 + roundRetries times', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-holder-'));
    directories.push(directory);
    const shareFile = join(directory, 'secret-share.key');
    await writeFile(shareFile, new Uint8Array(64).fill(1), { mode: 0o600 });
    const identity = () => generateKeyPairSync('ed25519');
    const own = identity();
    const roster = Object.fromEntries(['a', 'b', 'c'].map((id) => [id, (id === 'a' ? own : identity()).publicKey.export({ type: 'spki', format: 'pem' }).toString()]));
    const holder = new ThresholdKeyHolder(job, 'a', own.privateKey, roster, {} as FederationConnection, pino({ level: 'silent' }), shareFile);
    await holder.restore([]);
    // The rule is checked before the aggregate is fetched: a fetch that fails marks "released".
    const reached = async (contributors: string[]): Promise<string> =>
      holder.onDecryptionRequested(request(contributors), 2, () => Promise.reject(new Error('fetched'))).then(
        () => 'released',
        (error: Error) => error.message,
      );
    expect(await reached(['a', 'b', 'c'])).toBe('fetched');
    expect(await reached(['a', 'b'])).toMatch(/second decryption was requested in round 2 for other contributors/);
    expect(await reached(['c', 'b', 'a'])).toBe('fetched'); // the same set, run again
    expect(await reached(['a', 'b', 'c'])).toMatch(/already decrypted 2 times/);
    expect(holder.decryptions()).toEqual([{ round: 2, contributors: 'a,b,c', count: 2 }]);
    await expect(holder.onDecryptionRequested(request(['a', 'b', 'c']), 1, () => Promise.reject(new Error('fetched')))).rejects.toThrow(/while in round 1/);
    holder.dispose();
  });
});
