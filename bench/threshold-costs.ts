import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EncryptedSumAggregator } from '../protocols/aggregation/encrypted-sum-aggregator.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { deriveFigure, repeatRuns, timeSeconds, timeSecondsSync, type Figure } from './figures.js';
import { maxAbsoluteError, SYNTHETIC_SAMPLE_COUNT, syntheticWeightedUpdate } from './synthetic-update.js';

type ThresholdApi = typeof import('../protocols/ckks/threshold/index.js');

const THRESHOLD_INDEX = fileURLToPath(new URL('../protocols/ckks/threshold/index.ts', import.meta.url));

export type ThresholdCostsResult =
  | { readonly status: 'not-built'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string }
  | {
      readonly status: 'measured';
      readonly parameters: CkksParameters;
      readonly smudgingSigmaBits: number;
      readonly parties: number;
      readonly parameterCount: number;
      /** createKeyShare: one party's secret share and public share (mean over the parties of a run). */
      readonly keyShareSecondsPerParty: Figure;
      /** combinePublicShares over every party's public share (each party recomputes it). */
      readonly combinePublicSharesSeconds: Figure;
      /** One party's encryptVector under the collective key (threshold parameters). */
      readonly encryptSeconds: Figure;
      /** createDecryptionShare over every aggregate chunk: one party's partial decryption (mean over the parties). */
      readonly partialDecryptionSecondsPerParty: Figure;
      /** combineDecryptionShares: every party's shares into the decoded sum. */
      readonly combineSeconds: Figure;
      readonly partialDecryptionParamsPerSecond: Figure;
      /** Bytes of one party's decryption shares per parameter (what each party uploads to decrypt). */
      readonly decryptionShareBytesPerParameter: Figure;
      /** Bytes of one party's encrypted update per parameter (SEAL zstd): the upload the issue bounds at 32. */
      readonly uploadBytesPerParameter: Figure;
      /** Bytes of the aggregate per parameter: what each party downloads to partially decrypt it. */
      readonly aggregateBytesPerParameter: Figure;
      readonly publicShareBytes: number;
      /** Largest |jointly decrypted − plaintext sum|: smudging noise included. */
      readonly maxAbsoluteError: number;
    };

/** One job's worth of threshold work for `parties` parties on a `parameterCount` vector. */
async function measureWith(api: ThresholdApi, parameterCount: number, parties: number, repeat: number, onProgress: (line: string) => void): Promise<ThresholdCostsResult> {
  const parameters = api.DEFAULT_THRESHOLD_CKKS;
  const smudgingSigmaBits = api.DEFAULT_SMUDGING_SIGMA_BITS;
  const update = syntheticWeightedUpdate(parameterCount, 21);
  const expected = update.map((value) => value * parties);
  const context = await api.ThresholdCkksContext.create(parameters);
  let worstError = 0;
  let publicShareBytes = 0;
  try {
    const runs = await repeatRuns(
      repeat,
      { keyShare: 's', combinePublic: 's', encrypt: 's', partial: 's', combine: 's', shareBytes: 'bytes/param', uploadBytes: 'bytes/param', aggregateBytes: 'bytes/param' },
      async (run) => {
        onProgress(`threshold: ${parties} parties × ${parameterCount} parameters, run ${run + 1}/${repeat}`);
        const ids = Array.from({ length: parties }, (_, index) => `p${index + 1}`);
        const jobId = `bench-threshold-${run}`;
        const contributions = ids.map((participantId) => ({ participantId, ...api.createSeedContribution({ jobId, participantId }) }));
        for (const { participantId, seed, commitment } of contributions) {
          if (!api.verifySeedReveal(commitment, seed, { jobId, participantId })) throw new Error(`seed reveal of ${participantId} does not open its commitment`);
        }
        const commonSeed = api.deriveCommonSeed(jobId, contributions.map(({ participantId, seed }) => ({ participantId, seed })));
        let keySeconds = 0;
        const keyShares: Awaited<ReturnType<ThresholdApi['createKeyShare']>>[] = [];
        for (let party = 0; party < parties; party += 1) {
          const timed = await timeSeconds(() => api.createKeyShare(context, commonSeed));
          keySeconds += timed.seconds;
          keyShares.push(timed.result);
        }
        try {
          publicShareBytes = keyShares[0]?.publicShare.length ?? 0;
          const combinedKey = await timeSeconds(() => api.combinePublicShares(context, commonSeed, keyShares.map((share) => share.publicShare)));
          const session = await CkksSession.create(parameters, { publicKey: combinedKey.result });
          try {
            const encrypted = timeSecondsSync(() => session.encryptVector(update));
            const aggregator = new EncryptedSumAggregator(session, { vectorLength: parameterCount, chunkCount: session.chunkCountFor(parameterCount) });
            let aggregate: readonly Uint8Array[];
            try {
              for (const id of ids) {
                const contribution = aggregator.begin(id, SYNTHETIC_SAMPLE_COUNT);
                encrypted.result.forEach((bytes, chunk) => contribution.accept(chunk, bytes));
                contribution.commit();
              }
              aggregate = aggregator.finalize().chunks;
            } finally {
              aggregator.dispose();
            }
            let partialSeconds = 0;
            const shares: Uint8Array[][] = [];
            for (const keyShare of keyShares) {
              const timed = await timeSeconds(() =>
                api.createDecryptionShare(context, keyShare.secretShare, aggregate, { smudgingSigmaBits, budget: new api.DecryptionBudget(aggregate.length) }),
              );
              partialSeconds += timed.seconds;
              shares.push(timed.result);
            }
            const combined = await timeSeconds(() => api.combineDecryptionShares(context, aggregate, shares, parameterCount, { expectedParties: parties }));
            worstError = Math.max(worstError, maxAbsoluteError(combined.result, expected));
            const shareBytes = (shares[0] ?? []).reduce((total, share) => total + share.length, 0);
            return {
              keyShare: keySeconds / parties,
              combinePublic: combinedKey.seconds,
              encrypt: encrypted.seconds,
              partial: partialSeconds / parties,
              combine: combined.seconds,
              shareBytes: shareBytes / parameterCount,
              uploadBytes: encrypted.result.reduce((total, chunk) => total + chunk.length, 0) / parameterCount,
              aggregateBytes: aggregate.reduce((total, chunk) => total + chunk.length, 0) / parameterCount,
            };
          } finally {
            session.dispose();
          }
        } finally {
          for (const share of keyShares) share.secretShare.fill(0);
        }
      },
    );
    return {
      status: 'measured',
      parameters,
      smudgingSigmaBits,
      parties,
      parameterCount,
      keyShareSecondsPerParty: runs.keyShare,
      combinePublicSharesSeconds: runs.combinePublic,
      encryptSeconds: runs.encrypt,
      partialDecryptionSecondsPerParty: runs.partial,
      combineSeconds: runs.combine,
      partialDecryptionParamsPerSecond: deriveFigure(runs.partial, 'params/s', (seconds) => parameterCount / seconds),
      decryptionShareBytesPerParameter: runs.shareBytes,
      uploadBytesPerParameter: runs.uploadBytes,
      aggregateBytesPerParameter: runs.aggregateBytes,
      publicShareBytes,
      maxAbsoluteError: worstError,
    };
  } finally {
    context.dispose();
  }
}

/**
 * Threshold (N-of-N) decryption costs through `protocols/ckks/threshold`: key share per party, public
 * key combination, partial decryption per party and combination, on a `parameterCount` aggregate of
 * `parties` updates. Loaded lazily, so a missing or broken threshold module never stops the other sections.
 */
export async function measureThresholdCosts(parameterCount: number, parties: number, repeat: number, onProgress: (line: string) => void): Promise<ThresholdCostsResult> {
  if (!existsSync(THRESHOLD_INDEX)) {
    onProgress('threshold: not built yet');
    return { status: 'not-built', reason: 'protocols/ckks/threshold/index.ts does not exist yet; threshold costs are not measured' };
  }
  let api: ThresholdApi;
  try {
    api = await import('../protocols/ckks/threshold/index.js');
  } catch (error) {
    const reason = `protocols/ckks/threshold does not load: ${error instanceof Error ? error.message : String(error)}`;
    onProgress(`threshold: ${reason}`);
    return { status: 'failed', reason };
  }
  try {
    return await measureWith(api, parameterCount, parties, repeat, onProgress);
  } catch (error) {
    const reason = `threshold measurement failed: ${error instanceof Error ? error.message : String(error)}`;
    onProgress(`threshold: ${reason}`);
    return { status: 'failed', reason };
  }
}
