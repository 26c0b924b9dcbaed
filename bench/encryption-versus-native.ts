import { loadavg } from 'node:os';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { CkksWorkerPool } from '../protocols/ckks/parallel/ckks-worker-pool.js';
import { DEFAULT_THRESHOLD_CKKS } from '../protocols/ckks/threshold/index.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { DEFAULT_CKKS_PARAMETERS } from './ckks-throughput.js';
import { deriveFigure, figure, ratioFigure, repeatRuns, timeSeconds, timeSecondsSync, type Figure } from './figures.js';
import { nativeSealReferenceFor, type NativeSealReference } from './native-seal-reference.js';
import { syntheticWeightedUpdate } from './synthetic-update.js';

/** HEFL's encryption of one update against native SEAL on one core, same parameters, packing and stages. */
export interface EncryptionVersusNative {
  readonly label: string;
  readonly parameters: CkksParameters;
  readonly parameterCount: number;
  readonly ciphertextCount: number;
  readonly workers: number;
  /** One thread, CkksSession.encryptVector: encode + encrypt + serialize (zstd), every chunk. */
  readonly singleThreadSeconds: Figure;
  /** Of which serialize (zstd): serializeCiphertext on the same ciphertexts loaded back, timed alone. */
  readonly singleThreadSerializeSeconds: Figure;
  /** singleThreadSeconds − singleThreadSerializeSeconds, run by run: encode (2 per chunk) + encrypt + pack. */
  readonly singleThreadEncodeEncryptSeconds: Figure;
  /** CkksWorkerPool.encryptChunks (warm pool, chunks consumed in order and dropped): all three stages on the workers. */
  readonly poolSeconds: Figure;
  readonly poolParamsPerSecond: Figure;
  readonly singleThreadParamsPerSecond: Figure;
  /** Process CPU seconds (every thread) of the one-thread run: less sensitive to other load than wall time. */
  readonly singleThreadCpuSeconds: Figure;
  /** Process CPU seconds of the pool run (workers + main thread): the pool's whole cost. */
  readonly poolCpuSeconds: Figure;
  /** native seconds (one core, so ≈ its CPU seconds) / HEFL one thread's CPU seconds: the cost per parameter, like for like. */
  readonly singleThreadCpuVersusNative: Figure | null;
  readonly poolCpuVersusNative: Figure | null;
  /** Serialized bytes of the whole update. */
  readonly serializedBytes: number;
  /** 1, 5, 15-minute load averages right before each run (the machine is shared: read every figure with them). */
  readonly loadAverageBeforeRuns: readonly (readonly number[])[];
  /** The native reference of these parameters and packing; null: none, and no ratio. */
  readonly native: NativeSealReference | null;
  /** native seconds / HEFL seconds (> 1: HEFL faster), same stages; per ciphertext where the update is not the reference's 123 ciphertexts (--quick). */
  readonly poolVersusNative: Figure | null;
  readonly singleThreadVersusNative: Figure | null;
  readonly singleThreadEncodeEncryptVersusNative: Figure | null;
  readonly singleThreadSerializeVersusNative: Figure | null;
}

export const VERSUS_NATIVE_PARAMETER_SETS: readonly { readonly label: string; readonly parameters: CkksParameters }[] = [
  { label: 'reference parameters (DEFAULT_CKKS_PARAMETERS of the bench)', parameters: DEFAULT_CKKS_PARAMETERS },
  { label: 'threshold default (DEFAULT_THRESHOLD_CKKS, what the product uses)', parameters: DEFAULT_THRESHOLD_CKKS },
];

/** CPU seconds of this process, every thread, since `before`. */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** native / HEFL per run; another update size than the reference's (123 ct) compares per ciphertext. */
function versus(native: number | undefined, hefl: Figure, nativeCiphertexts: number, ciphertexts: number): Figure | null {
  if (native === undefined) return null;
  return figure('× native', hefl.samples.map((seconds) => (native * (ciphertexts / nativeCiphertexts)) / seconds));
}

/**
 * Encrypts one `parameterCount` update under `parameters` with a fresh public key in one thread and on a
 * warm CkksWorkerPool of os.availableParallelism() workers, back to back in every run; the one-thread
 * path's serialization is timed alone on the same ciphertexts, loaded back.
 */
export async function measureEncryptionVersusNative(
  set: { readonly label: string; readonly parameters: CkksParameters },
  parameterCount: number,
  repeat: number,
  onProgress: (line: string) => void,
): Promise<EncryptionVersusNative> {
  const { parameters } = set;
  const generator = await CkksSession.create(parameters);
  const keys = generator.generateKeyPair();
  generator.dispose();
  const encrypting = await CkksSession.create(parameters, { publicKey: keys.publicKey });
  keys.secretKey.fill(0);
  const pool = await CkksWorkerPool.create(parameters, { publicKey: keys.publicKey });
  const values = syntheticWeightedUpdate(parameterCount, 4_244);
  const loads: number[][] = [];
  let serializedBytes = 0;
  try {
    const warmUp = syntheticWeightedUpdate(8 * encrypting.slotCount, 4_245);
    encrypting.encryptVector(warmUp);
    await pool.encryptVector(warmUp);
    const runs = await repeatRuns(repeat, { single: 's', singleCpu: 's', serialize: 's', pool: 's', poolCpu: 's' }, async (runIndex) => {
      onProgress(`encryption vs native SEAL, primes ${parameters.coeffModulusBits.join('+')}: ${parameterCount} parameters, run ${runIndex + 1}/${repeat}`);
      loads.push(loadavg());
      const singleCpu = process.cpuUsage();
      const single = timeSecondsSync(() => encrypting.encryptVector(values));
      const singleCpuSeconds = cpuSecondsSince(singleCpu);
      serializedBytes = single.result.reduce((total, chunk) => total + chunk.length, 0);
      const loaded = single.result.map((bytes, index) => encrypting.loadCiphertext(bytes, `chunk ${index}`));
      single.result.length = 0;
      const serialize = timeSecondsSync(() => loaded.map((ciphertext) => encrypting.serializeCiphertext(ciphertext)));
      for (const ciphertext of loaded) encrypting.release(ciphertext);
      const poolCpu = process.cpuUsage();
      const pooled = await timeSeconds(async () => {
        for await (const chunk of pool.encryptChunks(values)) void chunk;
      });
      return { single: single.seconds, singleCpu: singleCpuSeconds, serialize: serialize.seconds, pool: pooled.seconds, poolCpu: cpuSecondsSince(poolCpu) };
    });
    const encodeEncrypt = figure('s', runs.single.samples.map((seconds, index) => seconds - (runs.serialize.samples[index] as number)));
    const native = nativeSealReferenceFor(parameters, 2) ?? null;
    const perSecond = (seconds: Figure): Figure => deriveFigure(seconds, 'params/s', (value) => parameterCount / value);
    const ciphertexts = encrypting.chunkCountFor(parameterCount);
    const nativeCount = native?.ciphertextCount ?? ciphertexts;
    return {
      label: set.label,
      parameters,
      parameterCount,
      ciphertextCount: ciphertexts,
      workers: pool.workerCount,
      singleThreadSeconds: runs.single,
      singleThreadSerializeSeconds: runs.serialize,
      singleThreadEncodeEncryptSeconds: encodeEncrypt,
      poolSeconds: runs.pool,
      poolParamsPerSecond: perSecond(runs.pool),
      singleThreadParamsPerSecond: perSecond(runs.single),
      singleThreadCpuSeconds: runs.singleCpu,
      poolCpuSeconds: runs.poolCpu,
      singleThreadCpuVersusNative: versus(native?.totalSeconds, runs.singleCpu, nativeCount, ciphertexts),
      poolCpuVersusNative: versus(native?.totalSeconds, runs.poolCpu, nativeCount, ciphertexts),
      serializedBytes,
      loadAverageBeforeRuns: loads,
      native,
      poolVersusNative: versus(native?.totalSeconds, runs.pool, nativeCount, ciphertexts),
      singleThreadVersusNative: versus(native?.totalSeconds, runs.single, nativeCount, ciphertexts),
      singleThreadEncodeEncryptVersusNative: versus(native?.encodeEncryptSeconds, encodeEncrypt, nativeCount, ciphertexts),
      singleThreadSerializeVersusNative: versus(native?.serializeSeconds, runs.serialize, nativeCount, ciphertexts),
    };
  } finally {
    await pool.close();
    encrypting.dispose();
  }
}

/** Pool speed-up over one thread, paired run by run (for the table). */
export function poolSpeedUp(result: EncryptionVersusNative): Figure {
  return ratioFigure(result.singleThreadSeconds, result.poolSeconds);
}
