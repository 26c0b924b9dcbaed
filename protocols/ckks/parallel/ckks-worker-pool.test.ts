import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { CkksSession } from '../ckks-session.js';
import { combineDecryptionShares, combinePublicShares, createDecryptionShare, createKeyShare, createSeedContribution, DecryptionBudget, DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS, deriveCommonSeed } from '../threshold/index.js';
import { CkksWorkerPool } from './ckks-worker-pool.js';

const parameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 40, 60], scaleBits: 40 };
/** Values per ciphertext at N = 8192: two per slot. */
const VALUES_PER_CIPHERTEXT = 8192;
const LIMIT_MS = 20_000;
const POOL_MODULE = fileURLToPath(new URL('./ckks-worker-pool.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function vector(length: number, seed: number, magnitude = 100): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * magnitude;
  });
}

function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let max = 0;
  for (let index = 0; index < expected.length; index += 1) max = Math.max(max, Math.abs((actual[index] as number) - (expected[index] as number)));
  return max;
}

/** OS threads of this process (Linux): every worker thread is one; undefined elsewhere. */
function threadCount(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const match = /^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : undefined;
}

describe('CkksWorkerPool', () => {
  let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  let decrypting: CkksSession;
  let pool: CkksWorkerPool;

  beforeAll(async () => {
    const generator = await CkksSession.create(parameters);
    keys = generator.generateKeyPair();
    generator.dispose();
    decrypting = await CkksSession.create(parameters, keys);
    pool = await CkksWorkerPool.create(parameters, keys, { workers: 2 }); // secret key too: single-key custody decrypts
  }, LIMIT_MS);

  afterAll(async () => {
    await pool?.close();
    decrypting?.dispose();
  });

  it('streams 3.5 chunks in order, each a ciphertext that decrypts to its slice within 1e-5', async () => {
    expect(pool.workerCount).toBe(2);
    expect(pool.valuesPerCiphertext).toBe(VALUES_PER_CIPHERTEXT);
    expect(pool.lookAhead).toBe(4);
    const values = vector(Math.round(3.5 * VALUES_PER_CIPHERTEXT), 1);
    const before = Float64Array.from(values);
    const arrived: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const { chunkIndex, ciphertext } of pool.encryptChunks(values)) {
      arrived.push(chunkIndex);
      chunks.push(ciphertext);
      // Each chunk is on its own: it decrypts alone, through the same checks a coordinator runs.
      decrypting.release(decrypting.loadCiphertext(ciphertext, `chunk ${chunkIndex}`));
    }
    expect(arrived).toEqual([0, 1, 2, 3]);
    expect(maxAbsError(decrypting.decryptVector(chunks, values.length), values)).toBeLessThan(1e-5);
    expect(values).toEqual(before); // the caller's vector is neither detached nor wiped
    // The same layout as CkksSession.encryptVector: interchangeable on the wire.
    expect(await pool.encryptVector(values)).toHaveLength(decrypting.chunkCountFor(values.length));
  }, LIMIT_MS);

  it('decrypts across the workers what CkksSession encrypted, naming a bad chunk by its index', async () => {
    const values = vector(Math.round(5.25 * VALUES_PER_CIPHERTEXT), 8);
    const chunks = decrypting.encryptVector(values);
    expect(maxAbsError(await pool.decryptVector(chunks, values.length), values)).toBeLessThan(1e-5);
    const broken = [...chunks];
    broken[4] = (chunks[4] as Uint8Array).subarray(0, 100);
    await expect(pool.decryptVector(broken, values.length)).rejects.toThrow(/aggregate chunk 4\b/);
    await expect(pool.decryptVector(chunks, values.length + VALUES_PER_CIPHERTEXT)).rejects.toThrow(CiphertextError);
    // Still usable after a failed decryption.
    expect(maxAbsError(await pool.decryptVector(chunks.slice(0, 1), 10), values.subarray(0, 10))).toBeLessThan(1e-5);
  }, LIMIT_MS);

  it('keeps encrypting ahead of a slow consumer, but never more than lookAhead chunks', async () => {
    const values = vector(10 * VALUES_PER_CIPHERTEXT + 3, 2);
    const chunks: Uint8Array[] = [];
    let mostPending = 0;
    let pendingAfterPause = -1;
    for await (const { ciphertext } of pool.encryptChunks(values)) {
      chunks.push(ciphertext);
      mostPending = Math.max(mostPending, pool.pendingTasks);
      if (chunks.length === 1) {
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // the consumer is busy streaming chunk 0
        pendingAfterPause = pool.pendingTasks;
      }
    }
    expect(chunks).toHaveLength(11);
    expect(mostPending).toBeGreaterThan(0);
    expect(mostPending).toBeLessThanOrEqual(pool.lookAhead);
    // Meanwhile the workers finished the look-ahead (chunks 1-4) and then waited: nothing more was dispatched.
    expect(pendingAfterPause).toBe(0);
    expect(pool.pendingTasks).toBe(0);
    expect(maxAbsError(decrypting.decryptVector(chunks, values.length), values)).toBeLessThan(1e-5);
  }, LIMIT_MS);

  it('refuses non-finite values before the first chunk, and stays usable after an abandoned iteration', async () => {
    const values = vector(2 * VALUES_PER_CIPHERTEXT, 3);
    values[VALUES_PER_CIPHERTEXT + 5] = Number.NaN;
    expect(() => pool.encryptChunks(values)).toThrow(CiphertextError);
    expect(() => pool.encryptChunks(values)).toThrow(new RegExp(`index ${VALUES_PER_CIPHERTEXT + 5}`));

    const long = vector(8 * VALUES_PER_CIPHERTEXT, 4);
    for await (const { chunkIndex } of pool.encryptChunks(long)) if (chunkIndex === 1) break;
    const short = vector(VALUES_PER_CIPHERTEXT + 1, 5);
    const chunks = await pool.encryptVector(short);
    expect(maxAbsError(decrypting.decryptVector(chunks, short.length), short)).toBeLessThan(1e-5);
  }, LIMIT_MS);

  it('encrypts in the calling thread with workers: 0, and refuses to encrypt without a public key', async () => {
    await using inThread = await CkksWorkerPool.create(parameters, { publicKey: keys.publicKey }, { workers: 0 });
    expect(inThread.workerCount).toBe(0);
    const values = vector(Math.round(1.5 * VALUES_PER_CIPHERTEXT), 6);
    const chunks = await inThread.encryptVector(values);
    expect(maxAbsError(decrypting.decryptVector(chunks, values.length), values)).toBeLessThan(1e-5);

    await expect(inThread.decryptVector(chunks, values.length)).rejects.toThrow(KeyCustodyError); // public key only

    await using noKey = await CkksWorkerPool.create(parameters, {}, { workers: 0 });
    expect(() => noKey.encryptChunks(values)).toThrow(KeyCustodyError);
  }, LIMIT_MS);

  it('refuses a key the workers cannot load, with the error CkksSession gives, leaving no worker behind', async () => {
    const threadsBefore = threadCount();
    const started = performance.now();
    await expect(CkksWorkerPool.create(parameters, { publicKey: new Uint8Array(200).fill(7) }, { workers: 2 })).rejects.toThrow(KeyCustodyError);
    expect(performance.now() - started).toBeLessThan(LIMIT_MS / 2);
    if (threadsBefore !== undefined) expect(threadCount()).toBeLessThanOrEqual(threadsBefore);
  }, LIMIT_MS);

  it('close() fails pending work, terminates the workers and refuses any later use', async () => {
    const threadsBefore = threadCount();
    const closing = await CkksWorkerPool.create(parameters, { publicKey: keys.publicKey }, { workers: 2 });
    if (threadsBefore !== undefined) expect(threadCount()).toBeGreaterThanOrEqual(threadsBefore + 2);
    const iteration = closing.encryptChunks(vector(6 * VALUES_PER_CIPHERTEXT, 7))[Symbol.asyncIterator]();
    const pending = iteration.next().then(
      () => new Error('resolved'),
      (error: unknown) => error,
    );
    await closing.close();
    expect(await pending).toMatchObject({ message: expect.stringMatching(/closed/) });
    expect(closing.isClosed).toBe(true);
    if (threadsBefore !== undefined) expect(threadCount()).toBeLessThanOrEqual(threadsBefore); // the worker threads are gone
    expect(() => closing.encryptChunks([1, 2, 3])).toThrow(/closed/);
    await expect(closing.encryptVector([1, 2, 3])).rejects.toThrow(/closed/);
    await expect(closing.decryptionShares(new Uint8Array(8), [new Uint8Array(8)], { smudgingSigmaBits: 40 })).rejects.toThrow(/closed/);
    await closing.close(); // twice is fine
  }, LIMIT_MS);

  it('under `node --import tsx`, encrypts on workers and lets the process exit on its own after close()', async () => {
    const script = `
      const { CkksWorkerPool } = await import(${JSON.stringify(POOL_MODULE)});
      const { CkksSession } = await import(${JSON.stringify(fileURLToPath(new URL('../ckks-session.ts', import.meta.url)))});
      const parameters = ${JSON.stringify(parameters)};
      const generator = await CkksSession.create(parameters);
      const keys = generator.generateKeyPair();
      generator.dispose();
      const pool = await CkksWorkerPool.create(parameters, { publicKey: keys.publicKey }, { workers: 2 });
      const values = Float64Array.from({ length: 3 * ${VALUES_PER_CIPHERTEXT} }, (_, index) => index / 100);
      const chunks = await pool.encryptVector(values);
      await pool.close();
      const session = await CkksSession.create(parameters, keys);
      const decrypted = session.decryptVector(chunks, values.length);
      session.dispose();
      let error = 0;
      for (let index = 0; index < values.length; index += 1) error = Math.max(error, Math.abs(decrypted[index] - values[index]));
      console.log(JSON.stringify({ workers: pool.workerCount, chunks: chunks.length, error }));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS - 3_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode, signal) => resolve(signal ? -1 : exitCode)));
    clearTimeout(killer);
    expect(code, stderr.slice(-2_000)).toBe(0); // -1: killed, i.e. something kept the process alive
    const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { workers: number; chunks: number; error: number };
    expect(report).toMatchObject({ workers: 2, chunks: 3 });
    expect(report.error).toBeLessThan(1e-5);
  }, LIMIT_MS);
});

describe('CkksWorkerPool.decryptionShares (threshold custody)', () => {
  it('gives the shares createDecryptionShare gives, renumbered across batches, and charges the budget once', async () => {
    const threshold = DEFAULT_THRESHOLD_CKKS;
    const jobId = 'pool-test';
    const ids = ['a', 'b'];
    const commonSeed = deriveCommonSeed(jobId, ids.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId, participantId }).seed })));
    const keyShares = [await createKeyShare(threshold, commonSeed), await createKeyShare(threshold, commonSeed)];
    const publicKey = await combinePublicShares(threshold, commonSeed, keyShares.map((share) => share.publicShare));

    await using pool = await CkksWorkerPool.create(threshold, { publicKey }, { workers: 2 });
    const length = 16 * VALUES_PER_CIPHERTEXT + 9; // 17 chunks: batches of 5, 5, 5 and 2 across the workers, renumbered within the whole vector
    const updates = [vector(length, 11, 1e4), vector(length, 12, 1e4)];
    const encrypted = await Promise.all(updates.map((update) => pool.encryptVector(update)));
    const summing = await CkksSession.create(threshold, { publicKey });
    const aggregate = (encrypted[0] as Uint8Array[]).map((first, chunk) => {
      const sum = summing.loadCiphertext(first, `a ${chunk}`);
      const addend = summing.loadCiphertext((encrypted[1] as Uint8Array[])[chunk] as Uint8Array, `b ${chunk}`);
      summing.addInPlace(sum, addend);
      const bytes = summing.serializeCiphertext(sum);
      summing.release(addend);
      summing.release(sum);
      return bytes;
    });
    summing.dispose();

    const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };
    const budget = new DecryptionBudget(100);
    const parallelShares = await pool.decryptionShares((keyShares[0] as { secretShare: Uint8Array }).secretShare, aggregate, { ...smudging, budget });
    expect(parallelShares).toHaveLength(17);
    expect(budget.used).toBe(17);
    await expect(pool.decryptionShares((keyShares[0] as { secretShare: Uint8Array }).secretShare, aggregate, { ...smudging, budget })).rejects.toThrow(KeyCustodyError);
    expect(budget.used).toBe(17);

    const sequentialShares = await createDecryptionShare(threshold, (keyShares[1] as { secretShare: Uint8Array }).secretShare, aggregate, smudging);
    const decrypted = await combineDecryptionShares(threshold, aggregate, [parallelShares, sequentialShares], length);
    const expected = Float64Array.from(updates[0] as Float64Array, (value, index) => value + ((updates[1] as Float64Array)[index] as number));
    expect(maxAbsError(decrypted, expected)).toBeLessThan(1e-5);
  }, LIMIT_MS);
});
