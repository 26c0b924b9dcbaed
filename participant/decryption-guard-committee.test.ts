import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecryptionGuard, type DecryptionRequestFacts, type GuardContext } from './decryption-guard.js';

// t-of-N custody (README, "t-of-N threshold custody"): one committee per c1, persisted like the rest.
// A modified c0 keeps the c1 digest (protocols/ckks/threshold/c1-digest.test.ts), so it is the same c1 here.
const roster = ['p1', 'p2', 'p3', 'p4', 'p5'];
const context: GuardContext = {
  participantId: 'p1',
  roster,
  floor: { minContributors: 3, verifyAggregate: true, verificationSampleChunks: undefined, maxRoundRetries: 1 },
  ownUpdateAcknowledged: true,
};
const c1 = (label: string): string => createHash('sha256').update(label).digest('hex');
const request = (c1Labels: string[], committee: string[] | undefined, round = 1): DecryptionRequestFacts => ({
  round,
  kind: 'training',
  contributors: roster,
  c1Sha256: c1Labels.map(c1),
  ...(committee ? { committee } : {}),
});
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('DecryptionGuard under t-of-N custody: one committee per c1', () => {
  it('refuses the same c1 (a modified c0 included) for another committee, also after a restart; the same committee only within the retry budget', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hefl-guard-committee-'));
    folders.push(folder);
    const file = join(folder, 'guard.jsonl');
    const guard = await DecryptionGuard.open(file);
    const first = request(['a', 'b'], ['p1', 'p2', 'p3']);
    guard.check(first, context);
    await guard.record(first);
    expect(() => guard.check(request(['a', 'b'], ['p1', 'p2', 'p4']), context)).toThrow(/c1 [0-9a-f]{16}… was already decrypted for another committee/);
    expect(() => guard.check(request(['b'], ['p1', 'p3', 'p4']), context)).toThrow(/another committee; .*fresh uploads/);
    // The committee's order does not matter; the identical committee may get the c1 again once (maxRoundRetries 1).
    guard.check(request(['a', 'b'], ['p3', 'p2', 'p1']), context);
    await guard.record(request(['a', 'b'], ['p3', 'p2', 'p1']));
    expect(() => guard.check(request(['a', 'b'], ['p1', 'p2', 'p3']), context)).toThrow(/already decrypted 2 times/);
    // A fresh upload (new c1) may go to another committee (here in the next round: round 1 used its retry).
    expect(() => guard.check(request(['c', 'd'], ['p1', 'p4', 'p5'], 2), context)).not.toThrow();
    const reopened = await DecryptionGuard.open(file);
    expect(() => reopened.check(request(['a'], ['p1', 'p2', 'p4'], 3), context)).toThrow(/already decrypted for another committee/);
  });

  it('never mixes modes: a c1 decrypted N-of-N is refused to a committee, and back', async () => {
    const guard = await DecryptionGuard.open(undefined);
    await guard.record(request(['n'], undefined));
    expect(() => guard.check(request(['n'], ['p1', 'p2', 'p3']), context)).toThrow(/already decrypted for another committee/);
    await guard.record(request(['t'], ['p1', 'p2', 'p3'], 2));
    expect(() => guard.check(request(['t'], undefined, 2), context)).toThrow(/already decrypted for another committee/);
  });

  it('a key-setup canary: decrypted once for its committee, never a c1 already decrypted, and it blocks a round on that c1', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'hefl-guard-canary-'));
    folders.push(folder);
    const file = join(folder, 'guard.jsonl');
    const guard = await DecryptionGuard.open(file);
    await guard.record(request(['x'], ['p1', 'p2', 'p3']));
    expect(() => guard.checkCanary([c1('x')], ['p1', 'p2', 'p3'])).toThrow(/canary c1 .* was already decrypted/);
    guard.checkCanary([c1('canary')], ['p1', 'p2', 'p3']);
    await guard.recordCanary([c1('canary')], ['p1', 'p2', 'p3']);
    const reopened = await DecryptionGuard.open(file);
    expect(() => reopened.checkCanary([c1('canary')], ['p1', 'p2', 'p3'])).toThrow(/already decrypted/);
    expect(() => reopened.check(request(['canary'], ['p1', 'p4', 'p5']), context)).toThrow(/another committee/);
  });
});
