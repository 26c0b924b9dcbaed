import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSealHandleCount } from '../seal-handle-count.js';
import { addRnsInPlace } from '../threshold/rns-words.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS, freshEncryptionNoiseVariance } from '../threshold/threshold-parameters.js';
import { featurePolynomialNormBits, productNoiseBoundBits } from './coefficient-parameters.js';
import { encryptForwardPart, sumForwardParts } from './forward-part.js';
import { rerandomisedProducts, type RawProducts } from './gradient-products.js';
import { centredFromResidues, crtBasis, readResidue } from './rns-integers.js';
import { multiplyBySecret, withSecretShare } from './secret-product.js';
import { fromNttForm } from './seal-transforms.js';
import { featureColumns, forwardParts, setUpFederation, type Federation } from '../../../test/support/vertical-gradient-data.js';

const parameters = DEFAULT_THRESHOLD_CKKS;
const rows = 8192;
const tau = 10_000;
const settings = { featureScaleBits: 8, maxAbsFeature: 8, maxColumnRms: 2, rowsPerBatch: rows };

/** Every coefficient of c0 + c1 * (s_1 + s_2 + s_3), centred: the full, unsmudged decryption. */
function decryptInFull(context: ThresholdCkksContext, federation: Federation, raw: RawProducts, feature: number): bigint[] {
  const sum = Uint32Array.from(raw.c0[feature] as Uint32Array);
  for (const key of federation.keys) {
    const part = withSecretShare(context, key.secretShare, (decryptor) => multiplyBySecret(context, decryptor, raw.level, raw.c1[feature] as Uint32Array));
    addRnsInPlace(sum, part, raw.level.primes, context.polyModulusDegree);
  }
  const [coefficients] = fromNttForm(context, raw.level, [sum]) as [Uint32Array];
  const basis = crtBasis(raw.level.primes.values);
  const degree = context.polyModulusDegree;
  return Array.from({ length: degree }, (_, index) =>
    centredFromResidues(raw.level.primes.values.map((_, prime) => readResidue(coefficients, 2 * (prime * degree + index))), basis),
  );
}

function normBits(column: Float64Array): number {
  return settings.featureScaleBits + 0.5 * Math.log2(column.reduce((sum, value) => sum + value * value, 0));
}

describe('noise of re-randomised gradient products (3 parties, real keys)', () => {
  let context: ThresholdCkksContext;
  let federation: Federation;
  let before: number;
  const columns = featureColumns(rows, 99);
  const configBound = 2 ** productNoiseBoundBits(parameters, { parties: 3, maxDecryptions: tau, featurePolynomialNormBits: featurePolynomialNormBits(settings) });

  beforeAll(async () => {
    before = liveSealHandleCount();
    context = await ThresholdCkksContext.create(parameters);
    federation = await setUpFederation(context, 3, 'job-noise');
  });

  afterAll(() => {
    context.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('with d = 0 every coefficient is noise: its spread matches the model and its maximum stays below B_prod', async () => {
    const parts: Uint8Array[] = [];
    for (let party = 0; party < 3; party += 1) parts.push(await encryptForwardPart(context, federation.publicKey, new Float64Array(rows)));
    const raw = rerandomisedProducts(context, federation.publicKey, await sumForwardParts(context, parts), columns);
    const fresh = freshEncryptionNoiseVariance(parameters, 3) + 1 / 12;
    columns.forEach((column, feature) => {
      const noise = decryptInFull(context, federation, raw, feature).map(Number);
      const measured = Math.sqrt(noise.reduce((sum, value) => sum + value * value, 0) / noise.length);
      const predicted = Math.sqrt(3 * fresh * 2 ** (2 * normBits(column)) + fresh);
      const largest = noise.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      const bound = 2 ** productNoiseBoundBits(parameters, { parties: 3, maxDecryptions: tau, featurePolynomialNormBits: normBits(column) });
      console.log(`[noise] feature ${feature}: std 2^${Math.log2(measured).toFixed(2)} (model 2^${Math.log2(predicted).toFixed(2)}), max 2^${Math.log2(largest).toFixed(2)}, B 2^${Math.log2(bound).toFixed(2)}, config B 2^${Math.log2(configBound).toFixed(2)}`);
      // The coefficients of e_d * p are independent enough to estimate a spread only for irregular
      // columns; for the intercept (p = ±1 everywhere) they are shifted copies of one sum.
      if (feature >= 1 && feature <= 7) {
        expect(measured / predicted).toBeGreaterThan(0.8);
        expect(measured / predicted).toBeLessThan(1.25);
      }
      expect(largest).toBeLessThan(bound);
      expect(largest).toBeLessThan(configBound);
    });
  });

  it('for real d, coefficient 0 minus the exact 2^80 <d, x> stays below B_prod', async () => {
    const { parts, d } = forwardParts(rows, 5);
    const encrypted: Uint8Array[] = [];
    for (const part of parts) encrypted.push(await encryptForwardPart(context, federation.publicKey, part));
    const raw = rerandomisedProducts(context, federation.publicKey, await sumForwardParts(context, encrypted), columns);
    // Each party rounds its own part to 2^-72: m_d is the sum of the three rounded parts.
    const encodedD = Array.from(d, (_, row) => parts.reduce((sum, part) => sum + BigInt(Math.round((part[row] as number) * 2 ** 72)), 0n));
    columns.forEach((column, feature) => {
      const exact = column.reduce((sum, value, row) => sum + (encodedD[row] as bigint) * BigInt(value * 256), 0n);
      const noise = (decryptInFull(context, federation, raw, feature)[0] as bigint) - exact;
      expect(Math.abs(Number(noise))).toBeLessThan(configBound);
    });
  });
});
