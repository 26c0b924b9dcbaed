import type { CkksSizeResult } from './ckks-throughput.js';
import { deriveFigure, ratioFigure, type Figure } from './figures.js';
import type { PaillierResult } from './paillier-comparison.js';

/** CKKS time per parameter divided by Paillier time per parameter (below 1: CKKS is faster). */
export interface CkksPaillierComparison {
  /** The CKKS vector size the CKKS side was measured at. */
  readonly ckksParameterCount: number;
  /** CKKS encode+encrypt+serialize vs Paillier encode+encrypt. */
  readonly encrypt: Figure;
  /** Per participant-parameter: CKKS EncryptedSumAggregator (load+validate+journal+add, finalize) vs Paillier additions. */
  readonly aggregate3: Figure;
  readonly aggregate10: Figure;
  /** Per participant-parameter: CKKS addInPlace alone vs Paillier additions (summing 3). */
  readonly addOnly: Figure;
  /** CKKS load+decrypt+decode vs Paillier decrypt+decode. */
  readonly decrypt: Figure;
  /** Wire bytes per parameter, CKKS / Paillier. */
  readonly wireBytes: Figure;
  /**
   * One parameter through a whole 3-participant round: 3 encryptions, the aggregate of 3 and 3
   * decryptions (each participant decrypts), CKKS / Paillier. The per-parameter cost the issue bounds.
   */
  readonly round3: Figure;
}

/** a + b, sample by sample when both have as many samples, else median + median. */
function sumFigures(unit: string, parts: readonly { figure: Figure; times: number }[]): Figure {
  const counts = new Set(parts.map(({ figure }) => figure.samples.length));
  if (counts.size === 1) {
    const length = parts[0]?.figure.samples.length ?? 0;
    return deriveFigure({ unit, median: 0, samples: Array.from({ length }, (_, index) => index) }, unit, (index) =>
      parts.reduce((total, { figure, times }) => total + times * (figure.samples[index] as number), 0),
    );
  }
  const total = parts.reduce((sum, { figure, times }) => sum + times * figure.median, 0);
  return { unit, median: total, samples: [total] };
}

export function compareCkksWithPaillier(ckks: CkksSizeResult, paillier: PaillierResult): CkksPaillierComparison {
  const perParameter = (seconds: Figure, work: number): Figure => deriveFigure(seconds, 's/param', (value) => value / work);
  const count = ckks.parameterCount;
  return {
    ckksParameterCount: count,
    encrypt: ratioFigure(perParameter(ckks.encodeEncryptSerialize.seconds, count), paillier.encryptSecondsPerParameter),
    aggregate3: ratioFigure(perParameter(ckks.aggregate3.seconds, 3 * count), paillier.add3SecondsPerParticipantParameter),
    aggregate10: ratioFigure(perParameter(ckks.aggregate10.seconds, 10 * count), paillier.add10SecondsPerParticipantParameter),
    addOnly: ratioFigure(perParameter(ckks.homomorphicAddOnly.seconds, count), paillier.add3SecondsPerParticipantParameter),
    decrypt: ratioFigure(perParameter(ckks.decryptDecode.seconds, count), paillier.decryptSecondsPerParameter),
    wireBytes: ratioFigure(ckks.wireBytesPerParameter, paillier.wireBytesPerParameter),
    round3: ratioFigure(
      sumFigures('s/param', [
        { figure: perParameter(ckks.encodeEncryptSerialize.seconds, count), times: 3 },
        { figure: perParameter(ckks.aggregate3.seconds, count), times: 1 },
        { figure: perParameter(ckks.decryptDecode.seconds, count), times: 3 },
      ]),
      sumFigures('s/param', [
        { figure: paillier.encryptSecondsPerParameter, times: 3 },
        { figure: paillier.add3SecondsPerParticipantParameter, times: 3 },
        { figure: paillier.decryptSecondsPerParameter, times: 3 },
      ]),
    ),
  };
}
