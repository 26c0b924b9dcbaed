/**
 * CKKS on every core: worker threads, each with its own SEAL instance (WASM heap) and its own
 * CkksSession (`ckks-worker.ts`); threshold partial decryption builds a ThresholdCkksContext per worker.
 *
 *   await using pool = await CkksWorkerPool.create(job.ckks, { publicKey });
 *   for await (const { chunkIndex, ciphertext } of pool.encryptChunks(weightedDelta)) await send(chunkIndex, ciphertext);
 *
 * `encryptChunks` hands ciphertext-sized slices (N values, moved with a transferList) to the least busy
 * worker and yields the serialized ciphertexts in chunk order as soon as each is ready. At most
 * `lookAhead` chunks (2 per worker) are dispatched but not yet taken by the consumer, so while the
 * consumer streams one chunk the workers already encrypt the next ones, and a 1M-parameter update never
 * sits in memory as its 123 ciphertexts (~32-40 MB) at once. The bytes are CkksSession.encryptVector's format.
 * `decryptVector` (single-key custody; the pool needs the secret key) and `decryptionShares` (threshold
 * custody) spread decryption over the workers the same way.
 *
 * `workers: 0` runs everything in the calling thread with the same API (a single-core machine, or where
 * worker threads are unavailable). Workers are unref'd while idle: a pool someone forgot to close does
 * not keep the process alive, but close() (or `await using`) is what frees their SEAL heaps.
 *
 * Worker start-up is in worker-launch.ts, the threshold batching in pool-decryption-shares.ts.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { CkksSession } from '../ckks-session.js';
import { ciphertextsFor, valuesPerCiphertext } from '../values-per-ciphertext.js';
import { decryptionSharesOnWorkers, type ParallelDecryptionShareOptions } from './pool-decryption-shares.js';
import { untilReady, workerEntry, workerExecArgv } from './worker-launch.js';
import { deserializeError, type CkksWorkerData, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';

export type { ParallelDecryptionShareOptions } from './pool-decryption-shares.js';

export interface EncryptedChunk {
  readonly chunkIndex: number;
  /** SEAL-serialized (zstd) ciphertext of values [chunkIndex · N, (chunkIndex + 1) · N). */
  readonly ciphertext: Uint8Array;
}

export interface CkksPoolKeys {
  /** SEAL-serialized PublicKey (the job's, or the collective threshold key): lets the pool encrypt. */
  readonly publicKey?: Uint8Array;
  /** Single-key custody only: SEAL-serialized SecretKey, lets the pool decrypt (decryptVector). Copied to every worker. */
  readonly secretKey?: Uint8Array;
}

export interface CkksWorkerPoolOptions {
  /** Worker threads; default os.availableParallelism(). 0 encrypts in the calling thread. */
  readonly workers?: number;
  /** Chunks dispatched ahead of the consumer per worker (default 2; in-thread mode encrypts lazily). */
  readonly lookAheadPerWorker?: number;
  /** Milliseconds to wait for the workers to load SEAL and their keys (default 60 s). */
  readonly startTimeoutMs?: number;
  /**
   * Threshold custody: each worker builds its threshold context while starting, so the first round's
   * partial decryption does not pay for it on the round's critical path.
   */
  readonly prepareThresholdDecryption?: boolean;
}

interface PendingTask {
  resolve(response: WorkerResponse): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, PendingTask>;
  /** Idle workers are unref'd so they never keep the process alive on their own. */
  referenced: boolean;
}

function closedError(): Error {
  return new Error('CkksWorkerPool is closed');
}

export class CkksWorkerPool implements AsyncDisposable {
  /** Values per ciphertext chunk: N (two per slot, see CkksSession.encryptVector). */
  readonly valuesPerCiphertext: number;
  /** Chunks dispatched to workers but not yet taken by the consumer, at most, per encryptChunks call. */
  readonly lookAhead: number;

  private nextTaskId = 0;
  private closed = false;
  /** Set when a worker dies: every later call fails with it. */
  private broken: Error | undefined;

  private constructor(
    readonly parameters: CkksParameters,
    private readonly workers: readonly PoolWorker[],
    private readonly inThread: CkksSession | undefined,
    private readonly abilities: { readonly encrypt: boolean; readonly decrypt: boolean },
    lookAheadPerWorker: number,
  ) {
    this.valuesPerCiphertext = valuesPerCiphertext(parameters);
    this.lookAhead = Math.max(1, workers.length * lookAheadPerWorker);
  }

  /** Starts the workers; each loads SEAL and the public key. Refuses parameters SEAL refuses. */
  static async create(parameters: CkksParameters, keys: CkksPoolKeys = {}, options: CkksWorkerPoolOptions = {}): Promise<CkksWorkerPool> {
    const workerCount = options.workers ?? os.availableParallelism();
    if (!Number.isInteger(workerCount) || workerCount < 0 || workerCount > 256) throw new RangeError(`workers must be an integer from 0 to 256, got ${workerCount}`);
    const lookAheadPerWorker = options.lookAheadPerWorker ?? 2;
    if (!Number.isInteger(lookAheadPerWorker) || lookAheadPerWorker < 1) throw new RangeError(`lookAheadPerWorker must be a positive integer, got ${lookAheadPerWorker}`);
    const abilities = { encrypt: keys.publicKey !== undefined, decrypt: keys.secretKey !== undefined };
    const sessionKeys = { ...(keys.publicKey ? { publicKey: keys.publicKey } : {}), ...(keys.secretKey ? { secretKey: keys.secretKey } : {}) };
    if (workerCount === 0) {
      const session = await CkksSession.create(parameters, sessionKeys);
      return new CkksWorkerPool(parameters, [], session, abilities, lookAheadPerWorker);
    }
    const entry = workerEntry();
    const execArgv = workerExecArgv(entry);
    const data: CkksWorkerData = { parameters, publicKey: keys.publicKey, secretKey: keys.secretKey, prepareThresholdDecryption: options.prepareThresholdDecryption ?? false };
    const workers: PoolWorker[] = [];
    try {
      for (let index = 0; index < workerCount; index += 1) {
        workers.push({ worker: new Worker(entry, { execArgv, workerData: data, name: `hefl-ckks-${index}` }), pending: new Map(), referenced: true });
      }
    } catch (error) {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
      throw error;
    }
    // Watched from the start, so a worker that dies while another still loads is noticed; referenced
    // until every worker is ready, so the process waits for them.
    const pool = new CkksWorkerPool(parameters, workers, undefined, abilities, lookAheadPerWorker);
    for (const worker of workers) pool.watch(worker);
    const settled = await Promise.allSettled(workers.map(({ worker }) => untilReady(worker, options.startTimeoutMs ?? 60_000)));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason ?? pool.broken;
    if (failure) {
      await pool.close();
      throw failure;
    }
    for (const worker of workers) pool.setReferenced(worker, false);
    return pool;
  }

  /** Threads that encrypt (0 in the in-thread mode). */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Requests sent to workers and not yet answered (encryption look-ahead plus decryption batches). */
  get pendingTasks(): number {
    return this.workers.reduce((total, entry) => total + entry.pending.size, 0);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ciphertexts a vector of `length` values needs (the same as CkksSession.chunkCountFor). */
  chunkCountFor(length: number): number {
    return ciphertextsFor(this.parameters, length);
  }

  /**
   * Encrypts `values` chunk by chunk; yields each SEAL-serialized ciphertext in chunk order as soon as
   * it and every earlier one are ready. Do not modify `values` until the iteration ends. Breaking out
   * of the loop stops dispatching (chunks already dispatched finish and are dropped). A non-finite
   * value fails the iteration with CiphertextError, like CkksSession.encryptVector.
   */
  encryptChunks(values: ArrayLike<number>): AsyncIterable<EncryptedChunk> {
    this.assertUsable();
    if (!this.abilities.encrypt) throw new KeyCustodyError('this CkksWorkerPool holds no public key and cannot encrypt');
    // Refuse before the first chunk leaves, not halfway through a stream.
    for (let index = 0; index < values.length; index += 1) {
      if (!Number.isFinite(values[index] as number)) throw new CiphertextError(`value at index ${index} is not finite; refusing to encrypt`);
    }
    return this.inThread ? this.encryptInThread(this.inThread, values) : this.encryptOnWorkers(values);
  }

  /** Every chunk of `values`, collected: the parallel CkksSession.encryptVector (holds them all in memory). */
  async encryptVector(values: ArrayLike<number>): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    for await (const { ciphertext } of this.encryptChunks(values)) chunks.push(ciphertext);
    return chunks;
  }

  /**
   * Single-key custody: decrypts serialized chunks back into the first `length` values, one chunk per
   * request across the workers (at most lookAhead queued); the parallel CkksSession.decryptVector.
   */
  async decryptVector(chunks: readonly Uint8Array[], length: number): Promise<Float64Array> {
    this.assertUsable();
    if (!this.abilities.decrypt) throw new KeyCustodyError('this CkksWorkerPool holds no secret key and cannot decrypt');
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`length must be a non-negative integer, got ${length}`);
    if (chunks.length !== this.chunkCountFor(length)) {
      throw new CiphertextError(`expected ${this.chunkCountFor(length)} ciphertext chunks for ${length} values, got ${chunks.length}`);
    }
    if (this.inThread) return this.inThread.decryptVector(chunks, length);
    const output = new Float64Array(length);
    const inFlight: Promise<void>[] = [];
    try {
      for (let chunkIndex = 0; chunkIndex < chunks.length; chunkIndex += 1) {
        const waitFor = inFlight[chunkIndex - this.lookAhead];
        if (waitFor) await waitFor;
        const start = chunkIndex * this.valuesPerCiphertext;
        const wanted = Math.min(this.valuesPerCiphertext, length - start);
        const request: WorkerRequest = { type: 'decrypt', id: -1, ciphertext: chunks[chunkIndex] as Uint8Array, chunkIndex, length: wanted };
        const done = this.dispatch(request, () => []).then((response) => {
          if (response.type !== 'decrypted') throw new Error(`CkksWorkerPool: unexpected worker answer ${response.type}`);
          output.set(response.values, start);
          response.values.fill(0);
        });
        done.catch(() => undefined); // awaited in order; never an unhandled rejection meanwhile
        inFlight.push(done);
      }
      await Promise.all(inFlight);
      return output;
    } catch (error) {
      await Promise.allSettled(inFlight);
      output.fill(0);
      throw error;
    }
  }

  /**
   * Threshold partial decryption across the workers: the same shares as
   * createDecryptionShare(parameters, secretShare, chunks, options) (fresh smudging noise per call).
   * Each worker builds its own ThresholdCkksContext on first use. The budget is charged with every
   * chunk's digest, all or nothing, before any share is returned; on refusal the shares are wiped.
   */
  async decryptionShares(secretShare: Uint8Array, chunks: readonly Uint8Array[], options: ParallelDecryptionShareOptions): Promise<Uint8Array[]> {
    this.assertUsable();
    if (chunks.length === 0) throw new CiphertextError('no ciphertext chunks to decrypt');
    if (this.inThread) {
      const { createDecryptionShare } = await import('../threshold/decryption-share.js');
      return createDecryptionShare(this.parameters, secretShare, chunks, options);
    }
    return decryptionSharesOnWorkers(
      {
        workerCount: this.workers.length,
        lookAhead: this.lookAhead,
        assertUsable: () => this.assertUsable(),
        stopped: () => this.closed || this.broken !== undefined,
        dispatch: (request, transfer) => this.dispatch(request, transfer),
      },
      secretShare,
      chunks,
      options,
    );
  }

  /** Terminates every worker (pending work fails) and frees the in-thread session. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failPending(closedError());
    this.inThread?.dispose();
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private assertUsable(): void {
    if (this.closed) throw closedError();
    if (this.broken) throw this.broken;
  }

  private async *encryptInThread(session: CkksSession, values: ArrayLike<number>): AsyncGenerator<EncryptedChunk> {
    const chunkCount = this.chunkCountFor(values.length);
    for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex += 1) {
      this.assertUsable();
      const slice = this.slice(values, chunkIndex);
      try {
        yield { chunkIndex, ciphertext: session.encryptVector(slice)[0] as Uint8Array };
      } finally {
        slice.fill(0);
      }
      // Let timers and I/O (the stream being written) run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async *encryptOnWorkers(values: ArrayLike<number>): AsyncGenerator<EncryptedChunk> {
    const chunkCount = this.chunkCountFor(values.length);
    const ready = new Map<number, Promise<Uint8Array>>();
    let dispatched = 0;
    try {
      for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex += 1) {
        while (dispatched < chunkCount && dispatched - chunkIndex < this.lookAhead) {
          const slice = this.slice(values, dispatched);
          const ciphertext = this.dispatch({ type: 'encrypt', id: -1, values: slice }, () => [slice.buffer as ArrayBuffer]).then((response) => {
            if (response.type !== 'encrypted') throw new Error(`CkksWorkerPool: unexpected worker answer ${response.type}`);
            return response.ciphertext;
          });
          ciphertext.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
          ready.set(dispatched, ciphertext);
          dispatched += 1;
        }
        const ciphertext = await (ready.get(chunkIndex) as Promise<Uint8Array>);
        ready.delete(chunkIndex);
        yield { chunkIndex, ciphertext };
      }
    } finally {
      ready.clear(); // an abandoned iteration: the workers finish what they hold, the results are dropped
    }
  }

  /** Chunk `chunkIndex` of `values` as its own (transferable) array, checked for non-finite values. */
  private slice(values: ArrayLike<number>, chunkIndex: number): Float64Array {
    const start = chunkIndex * this.valuesPerCiphertext;
    const end = Math.min(values.length, start + this.valuesPerCiphertext);
    const slice = values instanceof Float64Array ? values.slice(start, end) : Float64Array.from({ length: Math.max(0, end - start) }, (_, offset) => values[start + offset] as number);
    for (let offset = 0; offset < slice.length; offset += 1) {
      if (!Number.isFinite(slice[offset] as number)) {
        slice.fill(0);
        throw new CiphertextError(`value at index ${start + offset} is not finite; refusing to encrypt`);
      }
    }
    return slice;
  }

  /** Sends one request to the least busy worker; `transfer` names the buffers to move, not copy. */
  private dispatch(request: WorkerRequest, transfer: () => ArrayBuffer[]): Promise<WorkerResponse> {
    this.assertUsable();
    let target = this.workers[0] as PoolWorker;
    for (const candidate of this.workers) if (candidate.pending.size < target.pending.size) target = candidate;
    const id = this.nextTaskId;
    this.nextTaskId += 1;
    const message = { ...request, id };
    return new Promise<WorkerResponse>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      this.setReferenced(target, true);
      try {
        target.worker.postMessage(message, transfer());
      } catch (error) {
        target.pending.delete(id);
        this.setReferenced(target, target.pending.size > 0);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private watch(entry: PoolWorker): void {
    const { worker, pending } = entry;
    worker.on('message', (response: WorkerResponse) => {
      if (!('id' in response)) return;
      const task = pending.get(response.id);
      if (!task) return;
      pending.delete(response.id);
      this.setReferenced(entry, pending.size > 0);
      if (response.type === 'failed') task.reject(deserializeError(response.error, ''));
      else task.resolve(response);
    });
    const fail = (error: Error): void => {
      if (this.closed) return;
      this.broken ??= error;
      this.failPending(this.broken);
    };
    worker.on('error', (error) => fail(new Error(`CkksWorkerPool: a worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => fail(new Error(`CkksWorkerPool: a worker exited unexpectedly (code ${code})`)));
  }

  private setReferenced(entry: PoolWorker, referenced: boolean): void {
    if (entry.referenced === referenced) return;
    entry.referenced = referenced;
    if (referenced) entry.worker.ref();
    else entry.worker.unref();
  }

  private failPending(error: Error): void {
    for (const entry of this.workers) {
      const tasks = [...entry.pending.values()];
      entry.pending.clear();
      this.setReferenced(entry, false);
      for (const task of tasks) task.reject(error);
    }
  }
}
