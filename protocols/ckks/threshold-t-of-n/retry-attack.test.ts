/**
 * Why "never two committees for the same c1" (Lattigo SECURITY.md; Okada et al., eprint 2025/409), and
 * what two releases leak with HEFL's public points α = 1..N. Member j's flooded shares for one c1 under
 * committees T ≠ T′ are d = λ·Y + E and d′ = λ′·Y + E′ (Y = c1·S(α_j), λ, λ′ public). With small
 * integer points λ and λ′ are small rationals (here λ = 3 for {1,2,3}, λ′ = 5/3 for {1,4,5}), so
 * 3(λ′d − λd′) = 5E − 9E′ exactly, as an integer far below Q: whoever sees both shares learns an exact
 * linear relation between the two flooding noises — the "linear relations" of the cited attacks, which
 * pile up with every further committee. (The design note's 2-D Gauss-reduction recovery of S(α_j) from
 * just two releases assumed λ′/λ is a random residue; here the lattice {(x, y): λ′x ≡ λy} contains the
 * tiny vector (9, 5), so two releases do not pin E down by that route — the rule stands regardless.)
 * The decryption guard, once t-of-N is wired, must refuse the second release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSealHandleCount } from '../ckks-session.js';
import { parseSealCiphertext, writeSealCiphertext } from '../threshold/seal-layout.js';
import { SHARE_HEADER_BYTES } from '../threshold/share-format.js';
import { ThresholdCkksContext, type RnsLevel } from '../threshold/threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { createCommitteeDecryptionShare } from './combiner.js';
import { inverse, lagrangeCoefficients } from './committee.js';
import { encryptedSum, setUpTofnFederation, testVector, type TofnFederation } from './testing/tofn-federation.js';
import { keyWords } from './thresholdizer.js';

type Vector = readonly [bigint, bigint];

const read = (words: Uint32Array, index: number): bigint => (BigInt(words[2 * index + 1] as number) << 32n) | BigInt(words[2 * index] as number);
const mod = (value: bigint, m: bigint): bigint => ((value % m) + m) % m;
const dot = (a: Vector, b: Vector): bigint => a[0] * b[0] + a[1] * b[1];
/** round(a / b) for b > 0. */
const roundDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (2n * a + b) / (2n * b) : -((-2n * a + b) / (2n * b)));

/** Lagrange–Gauss reduction of a 2-D lattice basis. */
function gaussReduce(first: Vector, second: Vector): [Vector, Vector] {
  let [a, b] = [first, second];
  for (;;) {
    if (dot(a, a) > dot(b, b)) [a, b] = [b, a];
    const m = roundDiv(dot(a, b), dot(a, a));
    if (m === 0n) return [a, b];
    b = [b[0] - m * a[0], b[1] - m * a[1]];
  }
}

describe('the retry rule: one member, one c1, two committees', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;
  let federation: TofnFederation;

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    federation = await setUpTofnFederation(context, 5, 3, { jobId: 'retry-attack' });
  });

  afterAll(() => {
    federation.wipe();
    context.dispose();
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  /** SEAL's NTT (or inverse) of one polynomial at `level`. */
  function transform(words: Uint32Array, level: RnsLevel, toNtt: boolean): Uint32Array {
    const ciphertext = context.own(new context.seal.Ciphertext());
    try {
      const blob = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: !toNtt, polyModulusDegree: context.polyModulusDegree, primeCount: level.primeCount, scale: context.scale, polys: [words, words] });
      context.loadInto(ciphertext, blob, 'attack');
      if (toNtt) context.evaluator.cipherTransformToNttInplace(ciphertext);
      else context.evaluator.cipherTransformFromNttInplace(ciphertext);
      return parseSealCiphertext(context.saveUncompressed(ciphertext), 'attack').polys[0] as Uint32Array;
    } finally {
      context.release(ciphertext);
    }
  }

  it('two releases for {p1,p2,p3} and {p1,p4,p5} reveal the exact integer 5E − 9E′ of the flooding noises', async () => {
    const chunks = await encryptedSum(context, federation.publicKey, [testVector(1000, 5, 100)]);
    const { roster, threshold } = federation.resharing;
    const share = federation.thresholdShares.get('p1')!;
    const release = async (committee: string[]) =>
      (await createCommitteeDecryptionShare(context, share, { roster, threshold, self: 'p1', committee }, chunks, { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS }))[0]!;
    const d = await release(['p1', 'p2', 'p3']);
    const dPrime = await release(['p1', 'p4', 'p5']);

    const { raw, level } = context.loadChunk(chunks[0]!, 'chunk');
    const n = context.polyModulusDegree;
    const primes = level.primes.values;
    const [q0, q1] = primes as [bigint, bigint];
    const Q = q0 * q1;
    const crt = (residues: readonly bigint[]): bigint => mod(residues[0]! + q0 * mod((residues[1]! - residues[0]!) * inverse(q0, q1), q1), Q);
    const centred = (value: bigint): bigint => (value > Q / 2n ? value - Q : value);
    const words = (bytes: Uint8Array) => new Uint32Array(bytes.buffer.slice(bytes.byteOffset + SHARE_HEADER_BYTES, bytes.byteOffset + bytes.byteLength));
    const [dWords, dPrimeWords] = [words(d), words(dPrime)];
    const lambda = lagrangeCoefficients(1, [1, 2, 3], primes);
    const lambdaPrime = lagrangeCoefficients(1, [1, 4, 5], primes);
    expect(lambda).toEqual(primes.map(() => 3n));
    expect(lambdaPrime.map((value, p) => (value * 3n) % primes[p]!)).toEqual(primes.map(() => 5n));

    /** Coefficient form, as centred integers mod Q, of the NTT-form polynomial a·x − b·y (per prime a_p, b_p). */
    const combination = (a: readonly bigint[], x: Uint32Array, b: readonly bigint[], y: Uint32Array): bigint[] => {
      const ntt = new Uint32Array(x.length);
      primes.forEach((q, p) => {
        for (let t = 0; t < n; t += 1) {
          const i = p * n + t;
          const value = mod(a[p]! * read(x, i) - b[p]! * read(y, i), q);
          ntt[2 * i] = Number(value & 0xffffffffn);
          ntt[2 * i + 1] = Number(value >> 32n);
        }
      });
      const coefficients = transform(ntt, level, false);
      return Array.from({ length: n }, (_, t) => centred(crt([read(coefficients, t), read(coefficients, n + t)])));
    };
    // What the combiner computes from the two shares alone: 3·(λ′d − λd′).
    const observed = combination(lambdaPrime.map((value) => 3n * value), dWords, lambda.map((value) => 3n * value), dPrimeWords);
    // The truth, from the key share the attacker does not have: E = d − λ·c1·S, E′ = d′ − λ′·c1·S.
    const c1 = raw.polys[1] as Uint32Array;
    const key = keyWords(context, share, 'S(α_p1)');
    const c1S = new Uint32Array(dWords.length);
    primes.forEach((q, p) => {
      for (let t = 0; t < n; t += 1) {
        const i = p * n + t;
        const value = (read(c1, i) * read(key, i)) % q;
        c1S[2 * i] = Number(value & 0xffffffffn);
        c1S[2 * i + 1] = Number(value >> 32n);
      }
    });
    key.fill(0);
    const one = primes.map(() => 1n);
    const noise = combination(one, dWords, lambda, c1S);
    const noisePrime = combination(one, dPrimeWords, lambdaPrime, c1S);
    let largest = 0n;
    for (let t = 0; t < n; t += 1) {
      const magnitude = noise[t]! < 0n ? -noise[t]! : noise[t]!;
      if (magnitude > largest) largest = magnitude;
      expect(observed[t]).toBe(5n * noise[t]! - 9n * noisePrime[t]!);
    }
    expect(largest < 1n << 48n).toBe(true); // E really is flooding noise
    // Why two releases do not give S(α_j) by the note's 2-D reduction: the relation lattice has the vector (9, 5).
    const mu = mod(lambdaPrime[0]! * inverse(lambda[0]!, q0), q0);
    const [shortest] = gaussReduce([1n, mu], [0n, q0]);
    expect(shortest.map((value) => (value < 0n ? -value : value))).toEqual([9n, 5n]);
    console.info(`retry leak: 3(λ′d − λd′) = 5E − 9E′ exactly on all ${n} coefficients; |E| < 2^${largest.toString(2).length}, Q ≈ 2^${Q.toString(2).length}`);
  });
});
