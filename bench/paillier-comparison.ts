import { generateRandomKeys, type PublicKey } from 'paillier-bigint';
import { repeatRuns, timeSeconds, timeSecondsSync, type Figure } from './figures.js';
import { maxAbsoluteError, syntheticWeightedUpdate } from './synthetic-update.js';

export const PAILLIER_KEY_BITS = 2048;
/** Fixed-point scale for encoding reals as Paillier plaintexts: 2^40, like the CKKS scale. */
const FIXED_POINT_BITS = 40n;
const FIXED_POINT_SCALE = 2 ** Number(FIXED_POINT_BITS);

export interface PaillierResult {
  readonly keyBits: number;
  readonly sampleSize: number;
  readonly scheme: string;
  readonly keyGenerationSeconds: Figure;
  /** Per parameter: fixed-point encode + encrypt. */
  readonly encryptSecondsPerParameter: Figure;
  /** Per parameter and participant: one homomorphic addition (a multiplication mod n²), summing N = 3 ciphertexts. */
  readonly add3SecondsPerParticipantParameter: Figure;
  /** The same summing N = 10. */
  readonly add10SecondsPerParticipantParameter: Figure;
  /** Per parameter: decrypt + fixed-point decode of the 3-participant sum. */
  readonly decryptSecondsPerParameter: Figure;
  /** One ciphertext (an element of Z_{n²}) per parameter. */
  readonly wireBytesPerParameter: Figure;
  readonly maxAbsoluteError: number;
}

/** FATE's FixedPointNumber, simplified to one exponent: round(x · 2^40) mod n, negatives wrapped. */
function encodeFixedPoint(value: number, n: bigint): bigint {
  const scaled = BigInt(Math.round(value * FIXED_POINT_SCALE));
  return scaled >= 0n ? scaled : n + scaled;
}

function decodeFixedPoint(encoded: bigint, n: bigint): number {
  const signed = encoded > n / 2n ? encoded - n : encoded;
  return Number(signed) / FIXED_POINT_SCALE;
}

/**
 * FATE's raw_encrypt with g = n + 1: g^m mod n² is the cheap (1 + n·m) mod n², times the
 * obfuscator r^n mod n². paillier-bigint's encrypt(0) is exactly that obfuscator; its encrypt(m)
 * would instead run a modPow for g^m, which for a negative m (n − |m|) is a full 2048-bit exponent.
 */
function encryptFateStyle(publicKey: PublicKey, plaintext: bigint): bigint {
  const nSquared = publicKey.n * publicKey.n;
  const obfuscator = publicKey.encrypt(0n);
  return (((1n + publicKey.n * plaintext) % nSquared) * obfuscator) % nSquared;
}

function byteLength(value: bigint): number {
  return Math.ceil(value.toString(16).length / 2);
}

/**
 * Paillier as FATE uses it, on `sampleSize` values (far too slow for a whole model), extrapolated
 * per parameter. The N-participant sums reuse the sample's ciphertexts in rotation: an addition
 * costs the same whatever the plaintext.
 */
export async function measurePaillier(sampleSize: number, repeat: number, onProgress: (line: string) => void): Promise<PaillierResult> {
  const values = syntheticWeightedUpdate(sampleSize, 7);
  let worstError = 0;
  const runs = await repeatRuns(
    repeat,
    { keyGeneration: 's', encrypt: 's/param', add3: 's/param', add10: 's/param', decrypt: 's/param', wireBytes: 'bytes/param' },
    async (runIndex) => {
      onProgress(`paillier: run ${runIndex + 1}/${repeat}, ${sampleSize} values, ${PAILLIER_KEY_BITS}-bit key`);
      const keyGeneration = await timeSeconds(() => generateRandomKeys(PAILLIER_KEY_BITS, true));
      const { publicKey, privateKey } = keyGeneration.result;
      const encrypted = timeSecondsSync(() => Array.from(values, (value) => encryptFateStyle(publicKey, encodeFixedPoint(value, publicKey.n))));
      const ciphertexts = encrypted.result;
      const sumOf = (participants: number): { seconds: number; sums: bigint[] } => {
        const timed = timeSecondsSync(() =>
          ciphertexts.map((_, index) =>
            publicKey.addition(...Array.from({ length: participants }, (__, term) => ciphertexts[(index + term) % ciphertexts.length] as bigint)),
          ),
        );
        return { seconds: timed.seconds, sums: timed.result };
      };
      const three = sumOf(3);
      const ten = sumOf(10);
      const decrypted = timeSecondsSync(() => three.sums.map((sum) => decodeFixedPoint(privateKey.decrypt(sum), publicKey.n)));
      const expected = Array.from(values, (_, index) => [0, 1, 2].reduce((total, term) => total + (values[(index + term) % values.length] as number), 0));
      worstError = Math.max(worstError, maxAbsoluteError(decrypted.result, expected));
      const wireBytes = ciphertexts.reduce((total, ciphertext) => total + byteLength(ciphertext), 0);
      return {
        keyGeneration: keyGeneration.seconds,
        encrypt: encrypted.seconds / sampleSize,
        // Summing N ciphertexts is N − 1 multiplications mod n², but the library's reduce starts from 1: N products.
        add3: three.seconds / (3 * sampleSize),
        add10: ten.seconds / (10 * sampleSize),
        decrypt: decrypted.seconds / sampleSize,
        wireBytes: wireBytes / sampleSize,
      };
    },
  );
  return {
    keyBits: PAILLIER_KEY_BITS,
    sampleSize,
    scheme: `paillier-bigint ${PAILLIER_KEY_BITS}-bit, g = n + 1, FATE-style raw_encrypt with obfuscator r^n, fixed point 2^${FIXED_POINT_BITS}, CRT decryption`,
    keyGenerationSeconds: runs.keyGeneration,
    encryptSecondsPerParameter: runs.encrypt,
    add3SecondsPerParticipantParameter: runs.add3,
    add10SecondsPerParticipantParameter: runs.add10,
    decryptSecondsPerParameter: runs.decrypt,
    wireBytesPerParameter: runs.wireBytes,
    maxAbsoluteError: worstError,
  };
}
