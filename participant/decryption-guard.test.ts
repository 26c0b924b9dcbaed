import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecryptionGuard, type DecryptionRequestFacts, type GuardContext } from './decryption-guard.js';

const roster = ['bank', 'ecommerce', 'government'];
const context = (patch: Partial<GuardContext> = {}): GuardContext => ({
  participantId: 'bank',
  roster,
  floor: { minContributors: 3, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 },
  ownUpdateAcknowledged: true,
  ...patch,
});
const c1 = (label: string): string => createHash('sha256').update(label).digest('hex');
const request = (contributors: string[], c1Labels: string[], round = 2): DecryptionRequestFacts => ({ round, kind: 'training', contributors, c1Sha256: c1Labels.map(c1) });
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('DecryptionGuard: what a participant never decrypts', () => {
  it('an aggregate below its floor: one contributor (a victim named alone), or 2 of 3 under N-of-N', async () => {
    const guard = await DecryptionGuard.open(undefined);
    expect(() => guard.check(request(['government'], ['x']), context({ ownUpdateAcknowledged: false }))).toThrow(/1 contributor \(government\); this node decrypts only aggregates of at least 3/);
    expect(() => guard.check(request(['bank', 'government'], ['x']), context())).toThrow(/2 contributors.*at least 3 \(privacy\.minContributors\)/);
    // A node that lowered its own floor to 2 accepts 2 of 3.
    expect(() => guard.check(request(['bank', 'government'], ['x']), context({ floor: { minContributors: 2, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 } }))).not.toThrow();
  });

  it('an aggregate that leaves out this node although its update was acknowledged; duplicate or foreign contributors', async () => {
    const guard = await DecryptionGuard.open(undefined);
    const floorTwo = { floor: { minContributors: 2, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 } };
    expect(() => guard.check(request(['ecommerce', 'government'], ['x']), context(floorTwo))).toThrow(/acknowledged this node's update but leaves it out/);
    expect(() => guard.check(request(['ecommerce', 'government'], ['x']), context({ ...floorTwo, ownUpdateAcknowledged: false }))).not.toThrow();
    expect(() => guard.check(request(['bank', 'bank', 'government'], ['x']), context())).toThrow(/names a participant twice/);
    expect(() => guard.check(request(['bank', 'ecommerce', 'mallory'], ['x']), context())).toThrow(/mallory are not participants/);
  });

  it('one decryption set per c1: the same c1 for another set is refused, the same set only within the retry budget', async () => {
    const guard = await DecryptionGuard.open(undefined);
    const everyone = ['bank', 'ecommerce', 'government'];
    const floorTwo = context({ floor: { minContributors: 2, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 } });
    guard.check(request(everyone, ['c1-a', 'c1-b']), floorTwo);
    await guard.record(request(everyone, ['c1-a', 'c1-b']));
    // The c1 of chunk b again, relabelled as another round, for another set: refused (the key share would leak).
    expect(() => guard.check(request(['bank', 'ecommerce'], ['c1-b'], 7), floorTwo)).toThrow(/c1 [0-9a-f]{16}… was already decrypted for another contributor set/);
    // Another set in the same round, even with fresh ciphertexts: refused (differencing two sums isolates an update).
    expect(() => guard.check(request(['bank', 'ecommerce'], ['fresh']), floorTwo)).toThrow(/round 2 \(training\): already decrypted for another contributor set/);
    // The same set again (a retried round): allowed once more (1 + maxRoundRetries), then refused.
    guard.check(request([...everyone].reverse(), ['c1-a', 'c1-b']), floorTwo);
    await guard.record(request(everyone, ['c1-a', 'c1-b']));
    expect(() => guard.check(request(everyone, ['c1-a']), floorTwo)).toThrow(/already decrypted 2 times/);
    expect(() => guard.check(request(everyone, ['twice', 'twice'], 3), floorTwo)).toThrow(/two chunks of the aggregate share one c1/);
  });

  it('remembers every release across a restart, from its append-only file; a damaged file is refused, naming the line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hefl-guard-'));
    folders.push(folder);
    const file = join(folder, 'state', 'decryption-guard.jsonl');
    const everyone = ['bank', 'ecommerce', 'government'];
    const first = await DecryptionGuard.open(file);
    await first.record(request(everyone, ['c1-a']));
    await first.record(request(everyone, ['c1-z'], 3));
    const restarted = await DecryptionGuard.open(file);
    expect(() => restarted.check(request(['bank', 'ecommerce'], ['c1-a'], 9), context({ floor: { minContributors: 2, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 } }))).toThrow(/another contributor set/);
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
    await writeFile(file, `${await readFile(file, 'utf8')}{"round":"x"}\n`);
    await expect(DecryptionGuard.open(file)).rejects.toThrow(/decryption-guard\.jsonl:3: not a decryption-guard record/);
  });
});
