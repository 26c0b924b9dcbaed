import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import { CkksSession } from '../ckks-session.js';
import { liveSealHandleCount } from '../seal-handle-count.js';
import { DecryptionBudget } from '../threshold/decryption-budget.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS, MIN_SMUDGING_SIGMA_BITS } from '../threshold/threshold-parameters.js';
import { encodeC1, loadC1 } from './c1-format.js';
import { coefficientShare, coefficientShares } from './coefficient-share.js';
import { combineCoefficientShares } from './combine-coefficient-shares.js';
import { encryptForwardPart, sumForwardParts } from './forward-part.js';
import { gradientProducts, type GradientProducts } from './gradient-products.js';
import { featureColumns, forwardParts, maxAbs, plainGradient, setUpFederation, type Federation } from '../../../test/support/vertical-gradient-data.js';

const parameters = DEFAULT_THRESHOLD_CKKS;
const rows = 2000;
const smudging = { smudgingSigmaBits: 48 };
const combineOptions = { featureScaleBits: 8, expectedParties: 3 };

describe('coefficient-0 decryption: custody and validation', () => {
  let context: ThresholdCkksContext;
  let federation: Federation;
  let before: number;
  let forwardSum: Uint8Array;
  let products: GradientProducts;
  let shares: Uint8Array[][];
  let plain: number[];
  const columns = featureColumns(rows, 3).slice(0, 4);

  beforeAll(async () => {
    before = liveSealHandleCount();
    context = await ThresholdCkksContext.create(parameters);
    federation = await setUpFederation(context, 3, 'job-custody');
    const { parts, d } = forwardParts(rows, 11);
    const encrypted: Uint8Array[] = [];
    for (const part of parts) encrypted.push(await encryptForwardPart(context, federation.publicKey, part));
    forwardSum = await sumForwardParts(context, encrypted);
    products = await gradientProducts(context, federation.publicKey, forwardSum, columns);
    shares = [];
    for (const key of federation.keys) shares.push(await coefficientShares(context, key.secretShare, products.c1, smudging));
    plain = plainGradient(d, columns);
  });

  afterAll(() => {
    context.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  const combine = (own: Uint8Array[], peers: Uint8Array[][], expectedParties = 3, kept = products.kept): number[] =>
    combineCoefficientShares(context, kept, own, peers, { featureScaleBits: 8, expectedParties });

  it('all three shares decode the gradient; one share alone or a missing party decodes to noise', () => {
    const [own, first, second] = shares as [Uint8Array[], Uint8Array[], Uint8Array[]];
    expect(maxAbs(combine(own, [first, second]).map((value, j) => value - (plain[j] as number)))).toBeLessThan(1e-6 * maxAbs(plain));
    for (const partial of [combine(own, [first], 2), combine(own, [second], 2), combine(own, [], 1)]) {
      // Each coordinate is uniform over about ±2^29 (Q = 2^110 at this level over a 2^80 unit), so one of them can
      // land near the gradient by chance (p ≈ 8e-4 here); all four doing so is p ≈ 4e-13.
      expect(maxAbs(partial.map((value, j) => value - (plain[j] as number)))).toBeGreaterThan(1e3 * maxAbs(plain));
    }
    expect(() => combine(own, [first])).toThrow(/expected coefficient shares from 2 peers/);
  });

  it('an all-zero column gives a zero gradient', async () => {
    const zeroColumns = [new Float64Array(rows), columns[1] as Float64Array];
    const { c1, kept } = await gradientProducts(context, federation.publicKey, forwardSum, zeroColumns);
    const zeroShares: Uint8Array[][] = [];
    for (const key of federation.keys) zeroShares.push(await coefficientShares(context, key.secretShare, c1, smudging));
    const gradient = combine(zeroShares[0] as Uint8Array[], zeroShares.slice(1), 3, kept);
    expect(Math.abs(gradient[0] as number)).toBeLessThan(1e-6);
    expect(Math.abs((gradient[1] as number) - (plain[1] as number))).toBeLessThan(1e-6 * maxAbs(plain));
  });

  it('the c1 a party sends is freshly masked: the same inputs give a different c1 and the same gradient', async () => {
    const again = await gradientProducts(context, federation.publicKey, forwardSum, columns);
    expect(Buffer.from(again.c1[0] as Uint8Array).equals(Buffer.from(products.c1[0] as Uint8Array))).toBe(false);
    const fresh: Uint8Array[][] = [];
    for (const key of federation.keys) fresh.push(await coefficientShares(context, key.secretShare, again.c1, smudging));
    const gradient = combine(fresh[0] as Uint8Array[], fresh.slice(1), 3, again.kept);
    expect(maxAbs(gradient.map((value, j) => value - (plain[j] as number)))).toBeLessThan(1e-6 * maxAbs(plain));
  });

  it('a tampered c1 decodes to a wrong value; a repeated c1 or one past the budget is refused', async () => {
    const loaded = loadC1(context, products.c1[0] as Uint8Array, 'c1');
    const words = Uint32Array.from(loaded.words);
    words[0] = (words[0] as number) ^ 1;
    const tampered = encodeC1(context, loaded.level, words, 2 ** 80);
    const budgets = federation.keys.map(() => new DecryptionBudget(2));
    const tamperedShares: Uint8Array[] = [];
    for (const [holder, key] of federation.keys.entries()) tamperedShares.push(await coefficientShare(context, key.secretShare, tampered, { ...smudging, budget: budgets[holder] }));
    const mixed = shares.map((party, holder) => [tamperedShares[holder] as Uint8Array, ...party.slice(1)]);
    const wrong = combine(mixed[0] as Uint8Array[], mixed.slice(1));
    // Honest decoding is within 1e-6 relative; a tampered c1 adds a term uniform over about ±2^29, which falls
    // within 1e-3 of the gradient with probability about 1e-9.
    expect(Math.abs((wrong[0] as number) - (plain[0] as number))).toBeGreaterThan(1e-3 * maxAbs(plain));

    const key = federation.keys[1]?.secretShare as Uint8Array;
    await expect(coefficientShare(context, key, tampered, { ...smudging, budget: budgets[1] })).rejects.toThrow(KeyCustodyError);
    await expect(coefficientShare(context, key, tampered, { ...smudging, budget: budgets[1] })).rejects.toThrow(/already/);
    await expect(coefficientShares(context, key, products.c1.slice(0, 2), { ...smudging, budget: budgets[1] })).rejects.toThrow(/budget/);
    expect(budgets[1]?.used).toBe(1);
  });

  it('key holders refuse too little smudging, c1 that is not a product polynomial, and a bad secret share', async () => {
    const key = federation.keys[0]?.secretShare as Uint8Array;
    const c1 = products.c1[0] as Uint8Array;
    await expect(coefficientShare(context, key, c1, { smudgingSigmaBits: MIN_SMUDGING_SIGMA_BITS - 1 })).rejects.toThrow(KeyCustodyError);
    for (const bad of [new Uint8Array(0), c1.subarray(0, c1.length - 3), Uint8Array.from([...c1, 0]), forwardSum, federation.publicKey]) {
      await expect(coefficientShare(context, key, bad, smudging)).rejects.toThrow(CiphertextError);
    }
    await expect(coefficientShare(context, key.subarray(0, 100), c1, smudging)).rejects.toThrow(KeyCustodyError);
  });

  it('the combiner refuses malformed, replayed or miscounted shares', () => {
    const [own, first, second] = shares as [Uint8Array[], Uint8Array[], Uint8Array[]];
    const withFirst = (share: Uint8Array): Uint8Array[][] => [[share, ...first.slice(1)], second];
    const big = new Uint8Array(16).fill(0xff);
    for (const [peers, message] of [
      [withFirst(new Uint8Array(15)), /15 bytes, expected 16/],
      [withFirst(big), /not below its prime/],
      [[first, first], /duplicates/],
      [[first.slice(1), second], /sent 3 coefficient shares, expected 4/],
    ] as [Uint8Array[][], RegExp][]) {
      expect(() => combine(own, peers)).toThrow(CiphertextError);
      expect(() => combine(own, peers)).toThrow(message);
    }
    expect(() => combineCoefficientShares(context, products.kept, own, [first, second], { ...combineOptions, featureScaleBits: 10 })).toThrow(/featureScaleBits/);
  });

  it('refuses features off the grid, beyond the clip or the RMS bound, and forward sums that are no Enc(d)', async () => {
    const make = (values: number[]): Float64Array[] => [Float64Array.from({ length: rows }, (_, row) => values[row % values.length] as number)];
    const cases: [Float64Array[], RegExp][] = [
      [make([0.5, 1 / 3]), /not a multiple of 2\^-8/],
      [make([8.5]), /beyond the clip/],
      [make([3, -3]), /RMS 3.000/],
      [[new Float64Array(rows), new Float64Array(rows - 1)], /has 1999 rows/],
    ];
    for (const [columnsToTry, message] of cases) {
      await expect(gradientProducts(context, federation.publicKey, forwardSum, columnsToTry)).rejects.toThrow(message);
    }
    const session = await CkksSession.create(parameters, { publicKey: federation.publicKey });
    const [slotEncoded] = session.encryptVector([1, 2, 3]);
    session.dispose();
    await expect(gradientProducts(context, federation.publicKey, forwardSum.subarray(0, 200), columns)).rejects.toThrow(CiphertextError);
    await expect(sumForwardParts(context, [forwardSum, Uint8Array.from([...forwardSum, 1])])).rejects.toThrow(/header declares/);
    // A slot-encoded ciphertext loads (same parameters and scale) but is the caller's mistake, not a format error:
    await expect(gradientProducts(context, federation.publicKey, slotEncoded as Uint8Array, columns)).resolves.toBeDefined();
    await expect(encryptForwardPart(context, federation.publicKey, new Float64Array(8193))).rejects.toThrow(/1\.\.8192 rows/);
    await expect(encryptForwardPart(context, federation.publicKey, Float64Array.of(Number.NaN))).rejects.toThrow(/finite/);
    await expect(encryptForwardPart(context, federation.publicKey, Float64Array.of(1), )).resolves.toBeInstanceOf(Uint8Array);
    await expect(encryptForwardPart(context, new Uint8Array(64), Float64Array.of(1))).rejects.toThrow(KeyCustodyError);
  });
});
