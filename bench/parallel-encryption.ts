import v8 from 'node:v8';
import vm from 'node:vm';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { CkksWorkerPool } from '../protocols/ckks/parallel/ckks-worker-pool.js';
import {
  combineDecryptionShares,
  combinePublicShares,
  createDecryptionShare,
  createKeyShare,
  createSeedContribution,
  DEFAULT_SMUDGING_SIGMA_BITS,
  DEFAULT_THRESHOLD_CKKS,
  deriveCommonSeed,
  ThresholdCkksContext,
} from '../protocols/ckks/threshold/index.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { DEFAULT_CKKS_PARAMETERS } from './ckks-throughput.js';
import { deriveFigure, figure, ratioFigure, repeatRuns, timeSeconds, timeSecondsSync, type Figure } from './figures.js';
import { measureEncryptionVersusNative, VERSUS_NATIVE_PARAMETER_SETS, type EncryptionVersusNative } from './encryption-versus-native.js';
import { nativeSealReferenceFor, type NativeSealReference } from './native-seal-reference.js';
import { maxAbsoluteError, syntheticWeightedUpdate } from './synthetic-update.js';

export interface ParallelEncryptionResult {
  readonly parameters: CkksParameters;
  readonly slotCount: number;
  readonly parameterCount: number;
  readonly ciphertextCount: number;
  /** Worker threads of the pool (os.availableParallelism()). */
  readonly workers: number;
  /** Chunks the pool dispatches ahead of the consumer, at most. */
  readonly lookAhead: number;
  /** CkksWorkerPool.create: every worker loads SEAL and the public key (once per participant job). */
  readonly poolStartSeconds: Figure;
  /** CkksSession.encryptVector in the main thread (encode + encrypt + serialize, all chunks held). */
  readonly singleThreadSeconds: Figure;
  readonly singleThreadParamsPerSecond: Figure;
  /** CkksWorkerPool.encryptChunks, consumed chunk by chunk as a streaming participant does (chunks dropped). */
  readonly poolSeconds: Figure;
  readonly poolParamsPerSecond: Figure;
  /** Process CPU time (all threads) / wall time during the single-thread run: ~1 on an idle core. */
  readonly singleThreadCoresUsed: Figure;
  /** The same during the pool run: ~workers when the machine's cores are free; ~1 means other load took them. */
  readonly poolCoresUsed: Figure;
  /** Process CPU seconds per million parameters, pool path (workers + main thread): the pool's overhead shows against one thread's. */
  readonly poolCpuSecondsPerMillion: Figure;
  readonly singleThreadCpuSecondsPerMillion: Figure;
  /** Single-thread seconds / pool seconds, paired run by run. */
  readonly speedUp: Figure;
  /** Native SEAL on one core for these parameters and packing (bench/native-seal-reference.ts); null: none known. */
  readonly nativeSeal: NativeSealReference | null;
  /** Native seconds / pool seconds, same parameters, packing (2 values per slot) and stages, per ciphertext (> 1: the pool is faster). */
  readonly ratioToNativeSeal: Figure | null;
  /** Both parameter sets (reference and threshold default): one thread and pool, stages split, each against its own native reference. */
  readonly versusNative: readonly EncryptionVersusNative[];
  /** Peak process RSS during the pool run minus RSS before the pool started (worker isolates + their SEAL heaps + chunks in flight). */
  readonly poolPeakExtraRssBytes: Figure;
  /** Serialized ciphertext bytes encryptVector returns: the single-thread path holds every chunk at once. */
  readonly singleThreadHeldBytes: Figure;
  /** Most requests outstanding at the workers, seen whenever a chunk was taken (bounded by lookAhead). */
  readonly maxChunksAhead: number;
  /** Mean serialized ciphertext size. */
  readonly ciphertextBytesPerChunk: number;
  /** (lookAhead + 1) · ciphertextBytesPerChunk: ciphertext bytes the pool path holds at most (dispatched or ready but not yet taken, + the chunk being sent). */
  readonly poolHeldBytesBound: number;
  /** Largest |decrypt(pool output) − input| over all runs. */
  readonly maxAbsoluteError: number;
  /** Single-key custody: CkksSession.decryptVector vs CkksWorkerPool.decryptVector of the same chunks. */
  readonly decrypt: ParallelStage;
  /** Threshold custody (DEFAULT_THRESHOLD_CKKS, 2 parties): one party's createDecryptionShare vs CkksWorkerPool.decryptionShares. */
  readonly decryptionShare: ParallelStage & { readonly parameters: CkksParameters; readonly smudgingSigmaBits: number };
}

export interface ParallelStage {
  readonly singleThreadSeconds: Figure;
  readonly poolSeconds: Figure;
  readonly singleThreadParamsPerSecond: Figure;
  readonly poolParamsPerSecond: Figure;
  readonly speedUp: Figure;
  /** Largest |decrypted − input| of the pool path (threshold: combined with the other party's single-thread shares). */
  readonly maxAbsoluteError: number;
}

/** Two threshold parties' keys, one encrypted update under their collective key, a warm pool and a context for each path. */
async function thresholdSetUp(values: Float64Array): Promise<{ pool: CkksWorkerPool; context: ThresholdCkksContext; secretShares: Uint8Array[]; chunks: Uint8Array[] }> {
  const parameters = DEFAULT_THRESHOLD_CKKS;
  const jobId = 'bench-parallel';
  const parties = ['a', 'b'];
  const commonSeed = deriveCommonSeed(jobId, parties.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId, participantId }).seed })));
  const context = await ThresholdCkksContext.create(parameters);
  const keyShares = [await createKeyShare(context, commonSeed), await createKeyShare(context, commonSeed)];
  const publicKey = await combinePublicShares(context, commonSeed, keyShares.map((share) => share.publicShare));
  const pool = await CkksWorkerPool.create(parameters, { publicKey });
  const chunks = await pool.encryptVector(values);
  // Warm both paths (each worker builds its ThresholdCkksContext on first use).
  const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };
  await pool.decryptionShares(keyShares[0]?.secretShare as Uint8Array, chunks.slice(0, 4 * pool.workerCount), smudging);
  await createDecryptionShare(context, keyShares[1]?.secretShare as Uint8Array, chunks.slice(0, 4), smudging);
  return { pool, context, secretShares: keyShares.map((share) => share.secretShare), chunks };
}

function parallelStage(single: Figure, pool: Figure, parameterCount: number, maxAbsoluteError: number): ParallelStage {
  const perSecond = (seconds: Figure): Figure => deriveFigure(seconds, 'params/s', (value) => parameterCount / value);
  return { singleThreadSeconds: single, poolSeconds: pool, singleThreadParamsPerSecond: perSecond(single), poolParamsPerSecond: perSecond(pool), speedUp: ratioFigure(single, pool), maxAbsoluteError };
}

/** A full GC, so the RSS baseline is not inflated by the previous run's garbage (the bench runs without --expose-gc). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** CPU seconds of this process, every thread (getrusage), since `before`. */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** One pool run: encryptChunks consumed in order, RSS sampled at every chunk; the chunks are dropped after counting. */
async function poolRun(pool: CkksWorkerPool, values: Float64Array, keep: boolean): Promise<{ seconds: number; cpuSeconds: number; peakRss: number; mostAhead: number; bytes: number; chunks: Uint8Array[] }> {
  const cpuBefore = process.cpuUsage();
  let peakRss = process.memoryUsage.rss();
  let mostAhead = 0;
  let bytes = 0;
  const chunks: Uint8Array[] = [];
  const timed = await timeSeconds(async () => {
    let expected = 0;
    for await (const { chunkIndex, ciphertext } of pool.encryptChunks(values)) {
      if (chunkIndex !== expected) throw new Error(`pool yielded chunk ${chunkIndex}, expected ${expected}`);
      expected += 1;
      bytes += ciphertext.length;
      mostAhead = Math.max(mostAhead, pool.pendingTasks);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (keep) chunks.push(ciphertext);
    }
  });
  return { seconds: timed.seconds, cpuSeconds: cpuSecondsSince(cpuBefore), peakRss, mostAhead, bytes, chunks };
}

/**
 * Encryption of one `parameterCount` update in the main thread (CkksSession.encryptVector) and with a
 * CkksWorkerPool of os.availableParallelism() workers, back to back in every run. Each run starts a fresh
 * pool (timed) and warms it with a few chunks (untimed), as a participant's pool is warm after its first
 * round; the single-thread session is warmed once. The pool's output of the first run is decrypted.
 */
export async function measureParallelEncryption(parameterCount: number, repeat: number, onProgress: (line: string) => void): Promise<ParallelEncryptionResult> {
  const parameters = DEFAULT_CKKS_PARAMETERS;
  const keys = await (async () => {
    const generator = await CkksSession.create(parameters);
    try {
      return generator.generateKeyPair();
    } finally {
      generator.dispose();
    }
  })();
  // Decrypts, and (holding the secret key) would encrypt symmetrically; the encryption figures use the
  // public key only, as under threshold custody and in native SEAL's reference figure.
  const session = await CkksSession.create(parameters, keys);
  const encrypting = await CkksSession.create(parameters, { publicKey: keys.publicKey });
  const values = syntheticWeightedUpdate(parameterCount, 4_242);
  onProgress(`parallel: threshold set-up (2 parties, ${parameterCount} parameters encrypted under the collective key)`);
  const threshold = await thresholdSetUp(values);
  try {
    const warmUp = syntheticWeightedUpdate(8 * session.slotCount, 4_243);
    encrypting.encryptVector(warmUp);
    const encrypted = encrypting.encryptVector(values); // what both decryption paths decrypt
    const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };
    let decryptError = 0;
    let shareError = 0;
    let workers = 0;
    let lookAhead = 0;
    let mostAhead = 0;
    let bytesPerChunk = 0;
    let worstError = 0;
    const runs = await repeatRuns(
      repeat,
      {
        poolStart: 's',
        single: 's',
        singleCpu: 's',
        pool: 's',
        poolCpu: 's',
        poolExtraRss: 'bytes',
        singleHeld: 'bytes',
        singleDecrypt: 's',
        poolDecrypt: 's',
        singleShare: 's',
        poolShare: 's',
      },
      async (runIndex) => {
        onProgress(`parallel encryption: ${parameterCount} parameters, run ${runIndex + 1}/${repeat}`);
        const singleCpuBefore = process.cpuUsage();
        const single = timeSecondsSync(() => encrypting.encryptVector(values));
        const singleCpu = cpuSecondsSince(singleCpuBefore);
        const singleHeld = single.result.reduce((total, chunk) => total + chunk.length, 0);
        single.result.length = 0; // drop the ciphertexts before the pool run

        collectGarbage();
        const poolRssBefore = process.memoryUsage.rss();
        const started = await timeSeconds(() => CkksWorkerPool.create(parameters, { publicKey: keys.publicKey }));
        const pool = started.result;
        let decryptingPool: CkksWorkerPool | undefined;
        try {
          workers = pool.workerCount;
          lookAhead = pool.lookAhead;
          await pool.encryptVector(warmUp);
          const run = await poolRun(pool, values, runIndex === 0);
          mostAhead = Math.max(mostAhead, run.mostAhead);
          bytesPerChunk = run.bytes / pool.chunkCountFor(parameterCount);
          if (runIndex === 0) worstError = maxAbsoluteError(session.decryptVector(run.chunks, parameterCount), values);
          run.chunks.length = 0;

          const singleDecrypt = timeSecondsSync(() => session.decryptVector(encrypted, parameterCount));
          await pool.close();
          decryptingPool = await CkksWorkerPool.create(parameters, keys);
          const poolDecrypt = await timeSeconds(() => (decryptingPool as CkksWorkerPool).decryptVector(encrypted, parameterCount));
          decryptError = Math.max(decryptError, maxAbsoluteError(poolDecrypt.result, values), maxAbsoluteError(singleDecrypt.result, values));

          const singleShare = await timeSeconds(() => createDecryptionShare(threshold.context, threshold.secretShares[1] as Uint8Array, threshold.chunks, smudging));
          const poolShare = await timeSeconds(() => threshold.pool.decryptionShares(threshold.secretShares[0] as Uint8Array, threshold.chunks, smudging));
          if (runIndex === 0) {
            const combined = await combineDecryptionShares(threshold.context, threshold.chunks, [poolShare.result, singleShare.result], parameterCount);
            shareError = maxAbsoluteError(combined, values);
          }
          return {
            poolStart: started.seconds,
            single: single.seconds,
            singleCpu,
            pool: run.seconds,
            poolCpu: run.cpuSeconds,
            poolExtraRss: run.peakRss - poolRssBefore,
            singleHeld,
            singleDecrypt: singleDecrypt.seconds,
            poolDecrypt: poolDecrypt.seconds,
            singleShare: singleShare.seconds,
            poolShare: poolShare.seconds,
          };
        } finally {
          await pool.close();
          await decryptingPool?.close();
        }
      },
    );
    const perSecond = (seconds: Figure): Figure => deriveFigure(seconds, 'params/s', (value) => parameterCount / value);
    const poolParamsPerSecond = perSecond(runs.pool);
    const nativeSeal = nativeSealReferenceFor(parameters, 2) ?? null;
    const ciphertextCount = session.chunkCountFor(parameterCount);
    const versusNative: EncryptionVersusNative[] = [];
    for (const set of VERSUS_NATIVE_PARAMETER_SETS) versusNative.push(await measureEncryptionVersusNative(set, parameterCount, repeat, onProgress));
    return {
      parameters,
      slotCount: session.slotCount,
      parameterCount,
      ciphertextCount,
      workers,
      lookAhead,
      poolStartSeconds: runs.poolStart,
      singleThreadSeconds: runs.single,
      singleThreadParamsPerSecond: perSecond(runs.single),
      poolSeconds: runs.pool,
      poolParamsPerSecond,
      singleThreadCoresUsed: ratioFigure(runs.singleCpu, runs.single, 'cores'),
      poolCoresUsed: ratioFigure(runs.poolCpu, runs.pool, 'cores'),
      poolCpuSecondsPerMillion: deriveFigure(runs.poolCpu, 's/M params', (value) => (value * 1e6) / parameterCount),
      singleThreadCpuSecondsPerMillion: deriveFigure(runs.singleCpu, 's/M params', (value) => (value * 1e6) / parameterCount),
      speedUp: ratioFigure(runs.single, runs.pool),
      nativeSeal,
      ratioToNativeSeal: nativeSeal ? figure('× native', runs.pool.samples.map((seconds) => (nativeSeal.totalSeconds * (ciphertextCount / nativeSeal.ciphertextCount)) / seconds)) : null,
      versusNative,
      poolPeakExtraRssBytes: runs.poolExtraRss,
      singleThreadHeldBytes: runs.singleHeld,
      maxChunksAhead: mostAhead,
      ciphertextBytesPerChunk: bytesPerChunk,
      poolHeldBytesBound: (lookAhead + 1) * bytesPerChunk,
      maxAbsoluteError: worstError,
      decrypt: parallelStage(runs.singleDecrypt, runs.poolDecrypt, parameterCount, decryptError),
      decryptionShare: {
        ...parallelStage(runs.singleShare, runs.poolShare, parameterCount, shareError),
        parameters: DEFAULT_THRESHOLD_CKKS,
        smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS,
      },
    };
  } finally {
    await threshold.pool.close();
    threshold.context.dispose();
    for (const share of threshold.secretShares) share.fill(0);
    session.dispose();
    encrypting.dispose();
    keys.secretKey.fill(0);
  }
}
