/**
 * Threshold partial decryption spread over the pool's workers (CkksWorkerPool.decryptionShares in
 * ckks-worker-pool.ts): batching, the all-or-nothing budget charge, and renumbering each batch's shares
 * within the whole vector (share-format.ts).
 */
import type { DecryptionBudget } from '../threshold/decryption-budget.js';
import { readShareHeader, writeShareChunkNumber } from '../threshold/share-format.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

export interface ParallelDecryptionShareOptions {
  /** log2 of the smudging standard deviation (see smudgingBitsFor). */
  readonly smudgingSigmaBits: number;
  /** Charged with every chunk's digest, all or nothing, before any share is returned. */
  readonly budget?: DecryptionBudget;
}

/** What the batching needs of the pool. */
export interface ShareDispatcher {
  readonly workerCount: number;
  /** Requests queued at the workers, at most. */
  readonly lookAhead: number;
  /** Throws when the pool is closed or broken. */
  assertUsable(): void;
  /** True once the pool is closed or broken. */
  stopped(): boolean;
  /** Sends one request to a worker; `transfer` names the buffers to move, not copy. */
  dispatch(request: WorkerRequest, transfer: () => ArrayBuffer[]): Promise<WorkerResponse>;
}

/** createDecryptionShare batches 16 chunks per SEAL NTT call: batches of the pool are never larger. */
const DECRYPTION_BATCH_CHUNKS = 16;

/** The worker half of CkksWorkerPool.decryptionShares (`chunks` is not empty). */
export async function decryptionSharesOnWorkers(pool: ShareDispatcher, secretShare: Uint8Array, chunks: readonly Uint8Array[], options: ParallelDecryptionShareOptions): Promise<Uint8Array[]> {
  // Whole 16-chunk batches where there are enough chunks, smaller ones so every worker gets some otherwise.
  const batchSize = Math.max(1, Math.min(DECRYPTION_BATCH_CHUNKS, Math.ceil(chunks.length / (2 * pool.workerCount))));
  const batches: Promise<Extract<WorkerResponse, { type: 'decryption-shares' }>>[] = [];
  for (let start = 0; start < chunks.length; start += batchSize) {
    // At most lookAhead batches queued at the workers: the aggregate is not copied over all at once.
    const waitFor = batches[batches.length - pool.lookAhead];
    if (waitFor) await waitFor.catch(() => undefined);
    if (pool.stopped()) break;
    const batch = chunks.slice(start, start + batchSize);
    // Each worker gets its own copy of the secret share (moved, and wiped there after use).
    const shareCopy = Uint8Array.from(secretShare);
    const request: WorkerRequest = { type: 'decryption-share', id: -1, secretShare: shareCopy, chunks: batch, smudgingSigmaBits: options.smudgingSigmaBits };
    const result = pool.dispatch(request, () => [shareCopy.buffer as ArrayBuffer]).then((response) => {
      if (response.type !== 'decryption-shares') throw new Error(`CkksWorkerPool: unexpected worker answer ${response.type}`);
      return response;
    });
    result.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    batches.push(result);
  }
  const settled = await Promise.allSettled(batches);
  const answers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const wipe = (): void => answers.forEach((answer) => answer.shares.forEach((share) => share.fill(0)));
  try {
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    pool.assertUsable(); // closed meanwhile: some batches were never sent
    if (answers.length * batchSize < chunks.length) throw new Error('CkksWorkerPool: decryption batches are missing');
    options.budget?.spend(answers.flatMap((answer) => answer.digests));
    return renumberShares(answers, batchSize, chunks.length);
  } catch (error) {
    wipe();
    throw error;
  }
}

/** Each batch numbered its shares from 0 within itself: renumbers them within the whole vector. */
function renumberShares(answers: readonly Extract<WorkerResponse, { type: 'decryption-shares' }>[], batchSize: number, chunkCount: number): Uint8Array[] {
  return answers.flatMap((answer, batch) =>
    answer.shares.map((share, offset) => {
      const header = readShareHeader(share);
      if (header?.chunkIndex !== offset || header.chunkCount !== answer.shares.length) {
        throw new Error('CkksWorkerPool: a decryption share does not have the layout share-format.ts documents');
      }
      writeShareChunkNumber(share, batch * batchSize + offset, chunkCount);
      return share;
    }),
  );
}
