/**
 * A small pool of worker threads for hashing and blinding (psi-worker.ts), one per party. Work is
 * split into contiguous ranges (a few per worker, so a slow core does not hold everything back) and
 * the results are concatenated in order. `workers: 0` runs the same code in the calling thread.
 *
 * The secret scalar goes to each range's task as its own copy, which the worker wipes after making its
 * key object; the pool never keeps one. Workers are started like CkksWorkerPool's (worker-launch.ts:
 * the .ts entry under tsx/vitest, the .js one when compiled).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { awaitWorkerReady, workerExecArgv } from '../ckks/parallel/worker-launch.js';
import { createHashPowers, runPsiTask, type PsiTask, type PsiTaskResult, type PsiWorkerRequest, type PsiWorkerResponse } from './psi-compute.js';
import type { HashPowers } from './hash-to-curve.js';
import { PsiError } from './psi-error.js';

export interface PsiWorkerPoolOptions {
  /** Worker threads; default min(os.availableParallelism(), 4). 0 computes in the calling thread. */
  readonly workers?: number;
  /** Milliseconds to wait for the workers to start (default 60 s). */
  readonly startTimeoutMs?: number;
}

/** Below this many items per range, splitting costs more than it saves. */
const MIN_RANGE = 256;
const RANGES_PER_WORKER = 3;

function workerEntry(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./psi-worker${extension}`, import.meta.url);
}

function rebuildError(error: { name: string; message: string }): Error {
  return error.name === 'PsiError' ? new PsiError(error.message) : error.name === 'RangeError' ? new RangeError(error.message) : new Error(error.message);
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve(result: PsiTaskResult): void; reject(error: Error): void }>;
}

export class PsiWorkerPool implements AsyncDisposable {
  private nextId = 0;
  private closed = false;
  private broken: Error | undefined;
  private inThreadPowers: HashPowers | undefined;

  private constructor(private readonly workers: readonly PoolWorker[]) {}

  static async create(options: PsiWorkerPoolOptions = {}): Promise<PsiWorkerPool> {
    const count = options.workers ?? Math.min(os.availableParallelism(), 4);
    if (!Number.isInteger(count) || count < 0 || count > 64) throw new RangeError(`workers must be an integer from 0 to 64, got ${count}`);
    const entry = workerEntry();
    const execArgv = workerExecArgv(entry);
    const workers: PoolWorker[] = [];
    for (let index = 0; index < count; index += 1) workers.push({ worker: new Worker(entry, { execArgv, name: `hefl-psi-${index}` }), pending: new Map() });
    const pool = new PsiWorkerPool(workers);
    for (const entry of workers) pool.watch(entry);
    try {
      await Promise.all(workers.map(({ worker }) => untilReady(worker, options.startTimeoutMs ?? 60_000)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    for (const { worker } of workers) worker.unref();
    return pool;
  }

  /** A pool of size 0, without starting anything: hashing and blinding in the calling thread. */
  static inThread(): PsiWorkerPool {
    return new PsiWorkerPool([]);
  }

  get workerCount(): number {
    return this.workers.length;
  }

  /** H(id) and X25519(scalar, H(id)) for every id, as 32·n bytes each. */
  async hashAndBlind(ids: readonly string[], dst: Uint8Array, scalar: Uint8Array): Promise<{ points: Uint8Array; blinded: Uint8Array }> {
    const parts = await this.runRanges(ids.length, (start, end) => ({ type: 'hash-blind', dst, ids: ids.slice(start, end), scalar: Uint8Array.from(scalar) }));
    const hashed = parts.map((part) => (part.type === 'hash-blind' ? part : unexpected(part)));
    return { points: concat(hashed.map((part) => part.points)), blinded: concat(hashed.map((part) => part.blinded)) };
  }

  /** X25519(scalar, element) for every 32-byte element, position preserving. */
  async blind(elements: Uint8Array, scalar: Uint8Array): Promise<Uint8Array> {
    if (elements.length % 32 !== 0) throw new PsiError(`a blinded list is a multiple of 32 bytes, got ${elements.length}`);
    const parts = await this.runRanges(elements.length / 32, (start, end) => ({ type: 'blind', elements: elements.slice(start * 32, end * 32), scalar: Uint8Array.from(scalar), firstIndex: start }));
    return concat(parts.map((part) => (part.type === 'blind' ? part.blinded : unexpected(part))));
  }

  /** `count` uniformly random elements of the prime-order subgroup (padding). */
  async randomElements(count: number): Promise<Uint8Array> {
    const parts = await this.runRanges(count, (start, end) => ({ type: 'random', count: end - start }));
    return concat(parts.map((part) => (part.type === 'random' ? part.elements : unexpected(part))));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('PsiWorkerPool is closed'));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Splits [0, total) into contiguous ranges, runs them, returns the results in range order. */
  private async runRanges(total: number, taskFor: (start: number, end: number) => PsiTask): Promise<PsiTaskResult[]> {
    if (this.closed) throw new Error('PsiWorkerPool is closed');
    if (this.broken) throw this.broken;
    if (this.workers.length === 0) {
      this.inThreadPowers ??= createHashPowers();
      return [runPsiTask(taskFor(0, total), this.inThreadPowers)];
    }
    const ranges = Math.max(1, Math.min(this.workers.length * RANGES_PER_WORKER, Math.ceil(total / MIN_RANGE)));
    const size = Math.ceil(total / ranges);
    const starts = total === 0 ? [0] : Array.from({ length: Math.ceil(total / size) }, (_, index) => index * size);
    const results = starts.map((start) => this.dispatch(taskFor(start, Math.min(total, start + size))));
    const settled = await Promise.allSettled(results);
    const failure = settled.find((entry): entry is PromiseRejectedResult => entry.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.map((entry) => (entry as PromiseFulfilledResult<PsiTaskResult>).value);
  }

  private dispatch(task: PsiTask): Promise<PsiTaskResult> {
    let target = this.workers[0] as PoolWorker;
    for (const candidate of this.workers) if (candidate.pending.size < target.pending.size) target = candidate;
    const id = this.nextId;
    this.nextId += 1;
    return new Promise<PsiTaskResult>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.ref();
      const request: PsiWorkerRequest = { id, task };
      // Scalar copies are moved, so no copy stays behind in this thread.
      const transfer = 'scalar' in task ? [task.scalar.buffer as ArrayBuffer] : [];
      target.worker.postMessage(request, transfer);
    });
  }

  private watch(entry: PoolWorker): void {
    entry.worker.on('message', (message: PsiWorkerResponse) => {
      if (!('id' in message)) return;
      const task = entry.pending.get(message.id);
      if (!task) return;
      entry.pending.delete(message.id);
      if (entry.pending.size === 0) entry.worker.unref();
      if ('error' in message) task.reject(rebuildError(message.error));
      else task.resolve(message.result);
    });
    const fail = (error: Error): void => {
      if (this.closed) return;
      this.broken ??= error;
      this.fail(this.broken);
    };
    entry.worker.on('error', (error) => fail(new Error(`PsiWorkerPool: a worker failed: ${error.message}`, { cause: error })));
    entry.worker.on('exit', (code) => fail(new Error(`PsiWorkerPool: a worker exited unexpectedly (code ${code})`)));
  }

  private fail(error: Error): void {
    for (const entry of this.workers) {
      const tasks = [...entry.pending.values()];
      entry.pending.clear();
      for (const task of tasks) task.reject(error);
    }
  }
}

function unexpected(result: PsiTaskResult): never {
  throw new Error(`PsiWorkerPool: unexpected worker answer ${result.type}`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function untilReady(worker: Worker, timeoutMs: number): Promise<void> {
  return awaitWorkerReady<PsiWorkerResponse>(worker, timeoutMs, 'PsiWorkerPool', (message) => ('ready' in message ? true : undefined));
}
