import { EncryptedSumAggregator } from '../protocols/aggregation/encrypted-sum-aggregator.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { deriveFigure, repeatRuns, timeSecondsSync, type Figure } from './figures.js';
import { maxAbsoluteError, SYNTHETIC_SAMPLE_COUNT, syntheticWeightedUpdate } from './synthetic-update.js';

/** The job schema's default CKKS parameters, the ones every figure here is measured with. */
export const DEFAULT_CKKS_PARAMETERS: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 40, 60], scaleBits: 40 };

export interface StageFigures {
  readonly seconds: Figure;
  /** Parameters handled per second; for aggregation, participant-parameters (N · P) per second. */
  readonly paramsPerSecond: Figure;
}

export interface CkksSizeResult {
  readonly parameterCount: number;
  readonly ciphertextCount: number;
  /** `encryptVector`: encode + encrypt + SEAL serialization (zstd), as a participant runs it. */
  readonly encodeEncryptSerialize: StageFigures;
  /** `serializeCiphertext` alone, on the same ciphertexts loaded back. */
  readonly serialize: StageFigures;
  /** `loadCiphertext`: deserialization plus the size/level/scale checks the coordinator runs. */
  readonly loadValidate: StageFigures;
  /** `addInPlace` alone on loaded ciphertexts (one participant's update added to another's). */
  readonly homomorphicAddOnly: StageFigures;
  /** `EncryptedSumAggregator` over 3 updates: begin, accept every chunk (load + validate + journal + add), commit; finalize. */
  readonly aggregate3: StageFigures;
  /** The same over 10 updates. */
  readonly aggregate10: StageFigures;
  /** `decryptVector` of the 3-participant aggregate: load, decrypt, decode. */
  readonly decryptDecode: StageFigures;
  readonly wireBytesPerParameter: Figure;
  /** Single-key custody: the participant holds the secret key and encrypts symmetrically (c1 as a seed). */
  readonly seededWireBytesPerParameter: Figure;
  /** Wire bytes per parameter / 4 (one float32). */
  readonly float32Ratio: Figure;
  /** Largest |decrypted aggregate − plaintext sum| over all runs: proof the measured path computes the right thing. */
  readonly maxAbsoluteError: number;
}

export interface CkksThroughputResult {
  readonly parameters: CkksParameters;
  readonly slotCount: number;
  readonly sizes: readonly CkksSizeResult[];
}

function stage(seconds: Figure, workPerRun: number): StageFigures {
  return { seconds, paramsPerSecond: deriveFigure(seconds, 'params/s', (value) => workPerRun / value) };
}

/** Sums `participants` updates, cycling through `updates`, the way the coordinator does; returns the finalized chunks. */
function aggregate(
  coordinator: CkksSession,
  updates: readonly (readonly Uint8Array[])[],
  parameterCount: number,
  participants: number,
): { seconds: number; chunks: readonly Uint8Array[] } {
  const aggregator = new EncryptedSumAggregator(coordinator, { vectorLength: parameterCount, chunkCount: coordinator.chunkCountFor(parameterCount) });
  try {
    const timed = timeSecondsSync(() => {
      for (let index = 0; index < participants; index += 1) {
        const contribution = aggregator.begin(`p${index}`, SYNTHETIC_SAMPLE_COUNT);
        (updates[index % updates.length] as readonly Uint8Array[]).forEach((bytes, chunk) => contribution.accept(chunk, bytes));
        contribution.commit();
      }
      return aggregator.finalize().chunks;
    });
    return { seconds: timed.seconds, chunks: timed.result };
  } finally {
    aggregator.dispose();
  }
}

/** Times load+validate, serialize and add-only on one update's ciphertexts, freeing every handle. */
function ciphertextOperations(coordinator: CkksSession, update: readonly Uint8Array[], addend: readonly Uint8Array[]): { load: number; serialize: number; add: number } {
  const addends = addend.map((bytes, chunk) => coordinator.loadCiphertext(bytes, `addend ${chunk}`));
  const loaded = timeSecondsSync(() => update.map((bytes, chunk) => coordinator.loadCiphertext(bytes, `chunk ${chunk}`)));
  try {
    const serialize = timeSecondsSync(() => loaded.result.map((ciphertext) => coordinator.serializeCiphertext(ciphertext))).seconds;
    const add = timeSecondsSync(() => loaded.result.forEach((sum, chunk) => coordinator.addInPlace(sum, addends[chunk] as (typeof addends)[number]))).seconds;
    return { load: loaded.seconds, serialize, add };
  } finally {
    for (const ciphertext of [...loaded.result, ...addends]) coordinator.release(ciphertext);
  }
}

/**
 * Participant- and coordinator-side CKKS costs for one vector size, through the product's own
 * `CkksSession` and `EncryptedSumAggregator`. Three distinct updates are encrypted once (untimed)
 * and cycled for the 10-participant sum; the coordinator side is a public-key-only session.
 */
async function measureSize(participant: CkksSession, encrypting: CkksSession, coordinator: CkksSession, parameterCount: number, repeat: number): Promise<CkksSizeResult> {
  const plain = [0, 1, 2].map((seed) => syntheticWeightedUpdate(parameterCount, 1_000 + seed));
  const encrypted = plain.map((update) => encrypting.encryptVector(update));
  const expectedSum = new Float64Array(parameterCount);
  for (const update of plain) for (let index = 0; index < parameterCount; index += 1) expectedSum[index] = (expectedSum[index] as number) + (update[index] as number);
  let worstError = 0;

  const runs = await repeatRuns(
    repeat,
    { encryptVector: 's', serialize: 's', loadValidate: 's', addOnly: 's', aggregate3: 's', aggregate10: 's', decrypt: 's', wireBytesPerParameter: 'bytes/param', seededBytes: 'bytes/param' },
    async () => {
      const encryptTimed = timeSecondsSync(() => encrypting.encryptVector(plain[0] as Float64Array));
      const seededBytes = participant.encryptVector(plain[0] as Float64Array).reduce((total, chunk) => total + chunk.length, 0);
      const wireBytes = encryptTimed.result.reduce((total, chunk) => total + chunk.length, 0);
      const operations = ciphertextOperations(coordinator, encrypted[0] as Uint8Array[], encrypted[1] as Uint8Array[]);
      const three = aggregate(coordinator, encrypted, parameterCount, 3);
      const ten = aggregate(coordinator, encrypted, parameterCount, 10);
      const decryptTimed = timeSecondsSync(() => participant.decryptVector(three.chunks, parameterCount));
      worstError = Math.max(worstError, maxAbsoluteError(decryptTimed.result, expectedSum));
      return {
        encryptVector: encryptTimed.seconds,
        serialize: operations.serialize,
        loadValidate: operations.load,
        addOnly: operations.add,
        aggregate3: three.seconds,
        aggregate10: ten.seconds,
        decrypt: decryptTimed.seconds,
        wireBytesPerParameter: wireBytes / parameterCount,
        seededBytes: seededBytes / parameterCount,
      };
    },
  );
  return {
    parameterCount,
    ciphertextCount: participant.chunkCountFor(parameterCount),
    encodeEncryptSerialize: stage(runs.encryptVector, parameterCount),
    serialize: stage(runs.serialize, parameterCount),
    loadValidate: stage(runs.loadValidate, parameterCount),
    homomorphicAddOnly: stage(runs.addOnly, parameterCount),
    aggregate3: stage(runs.aggregate3, 3 * parameterCount),
    aggregate10: stage(runs.aggregate10, 10 * parameterCount),
    decryptDecode: stage(runs.decrypt, parameterCount),
    wireBytesPerParameter: runs.wireBytesPerParameter,
    seededWireBytesPerParameter: runs.seededBytes,
    float32Ratio: deriveFigure(runs.wireBytesPerParameter, 'ratio', (bytes) => bytes / 4),
    maxAbsoluteError: worstError,
  };
}

/** Every size in turn, with one fresh key pair; every SEAL handle is freed before returning. */
export async function measureCkksThroughput(sizes: readonly number[], repeat: number, onProgress: (line: string) => void): Promise<CkksThroughputResult> {
  const keys = await (async () => {
    const generator = await CkksSession.create(DEFAULT_CKKS_PARAMETERS);
    try {
      return generator.generateKeyPair();
    } finally {
      generator.dispose();
    }
  })();
  const participant = await CkksSession.create(DEFAULT_CKKS_PARAMETERS, keys);
  try {
    const coordinator = await CkksSession.create(DEFAULT_CKKS_PARAMETERS, { publicKey: keys.publicKey });
    try {
      const results: CkksSizeResult[] = [];
      for (const size of sizes) {
        onProgress(`ckks: ${size} parameters × ${repeat} runs`);
        // Encryption as under threshold custody and in the reference: with the public key.
        results.push(await measureSize(participant, coordinator, coordinator, size, repeat));
      }
      return { parameters: DEFAULT_CKKS_PARAMETERS, slotCount: participant.slotCount, sizes: results };
    } finally {
      coordinator.dispose();
    }
  } finally {
    participant.dispose();
    keys.secretKey.fill(0);
  }
}
