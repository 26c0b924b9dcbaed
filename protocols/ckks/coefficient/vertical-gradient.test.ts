import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSealHandleCount } from '../seal-handle-count.js';
import { DecryptionBudget } from '../threshold/decryption-budget.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { coefficientShares } from './coefficient-share.js';
import { coefficientSmudgingBits } from './coefficient-parameters.js';
import { combineCoefficientShares } from './combine-coefficient-shares.js';
import { encryptForwardPart, sumForwardParts } from './forward-part.js';
import { gradientProducts } from './gradient-products.js';
import { featureColumns, forwardParts, maxAbs, plainGradient, setUpFederation, type Federation } from '../../../test/support/vertical-gradient-data.js';

const parameters = DEFAULT_THRESHOLD_CKKS;
const settings = { parties: 3, maxDecryptions: 10_000, featureScaleBits: 8, maxAbsFeature: 8, maxColumnRms: 2, rowsPerBatch: 8192 };

describe('vertical LR gradients by coefficient-0 decryption (3 parties, real threshold keys)', () => {
  let context: ThresholdCkksContext;
  let federation: Federation;
  let handlesBefore: number;
  let smudgingSigmaBits: number;
  const budgets = [0, 1, 2].map(() => new DecryptionBudget(settings.maxDecryptions));

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(parameters);
    federation = await setUpFederation(context, 3, 'job-vertical');
    smudgingSigmaBits = coefficientSmudgingBits(parameters, settings);
  });

  afterAll(() => {
    context.dispose();
    for (const key of federation.keys) key.secretShare.fill(0);
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  for (const rows of [8192, 3000]) {
    it(`${rows} rows, 10 features incl. the intercept: encrypted = plaintext gradients within 1e-6 relative`, async () => {
      const { parts, d } = forwardParts(rows, rows);
      const columns = featureColumns(rows, rows + 1);
      const timings: Record<string, number> = {};
      const time = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
        const start = performance.now();
        const result = await run();
        timings[name] = performance.now() - start;
        return result;
      };
      const encrypted: Uint8Array[] = [];
      for (const part of parts) encrypted.push(await time('encrypt part', () => encryptForwardPart(context, federation.publicKey, part)));
      const forwardSum = await time('sum parts', () => sumForwardParts(context, encrypted));
      const { c1, kept } = await time('products', () => gradientProducts(context, federation.publicKey, forwardSum, columns));
      const shares: Uint8Array[][] = [];
      for (const [holder, key] of federation.keys.entries()) {
        shares.push(await time(`shares ${holder}`, () => coefficientShares(context, key.secretShare, c1, { smudgingSigmaBits, budget: budgets[holder] })));
      }
      const encryptedGradient = await time('combine', () =>
        combineCoefficientShares(context, kept, shares[0] as Uint8Array[], shares.slice(1), { featureScaleBits: 8, expectedParties: 3 }),
      );
      const plain = plainGradient(d, columns);
      const error = maxAbs(encryptedGradient.map((value, feature) => value - (plain[feature] as number)));
      console.log(
        `[coefficient] rows ${rows}: sigma 2^${smudgingSigmaBits}, max |g| ${maxAbs(plain).toFixed(3)}, max error ${error.toExponential(2)}; ` +
          `encrypt part ${timings['encrypt part']?.toFixed(0)} ms, sum ${timings['sum parts']?.toFixed(0)} ms, products ${((timings.products as number) / columns.length).toFixed(1)} ms/feature, ` +
          `shares ${((timings['shares 1'] as number) / columns.length).toFixed(1)} ms/c1, combine ${timings.combine?.toFixed(1)} ms, c1 ${c1[0]?.length} B (zstd), forward ${forwardSum.length} B`,
      );
      expect(shares.every((party) => party.every((share) => share.length === 16))).toBe(true);
      expect(error).toBeLessThanOrEqual(1e-6 * maxAbs(plain));
    });
  }
});
