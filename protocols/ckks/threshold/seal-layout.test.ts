import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { parseSealCiphertext, parseSealPlaintext, writeSealCiphertext, writeSealPlaintext, writeSeededSealCiphertext } from './seal-layout.js';
import { ThresholdCkksContext } from './threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';

describe('SEAL byte layouts', () => {
  it('round-trips SEAL ciphertexts, plaintexts and seeded public keys byte for byte', async () => {
    const before = liveSealHandleCount();
    const context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    const { seal } = context;
    const generator = context.own(new seal.KeyGenerator(context.context));
    const publicKey = context.own(generator.createPublicKey());
    const serializable = context.own(generator.createPublicKeySerializable());
    const secretKey = context.own(generator.secretKey());
    const encryptor = context.own(new seal.Encryptor(context.context, publicKey));
    const plaintext = context.own(new seal.Plaintext());
    const ciphertext = context.own(new seal.Ciphertext());
    try {
      context.encoder.encode(Float64Array.from([1.5, -2, 3]), context.scale, plaintext);
      encryptor.encrypt(plaintext, ciphertext);

      const ciphertextBytes = context.saveUncompressed(ciphertext);
      const parsed = parseSealCiphertext(ciphertextBytes, 'ciphertext');
      expect(parsed).toMatchObject({ isNttForm: true, polyModulusDegree: 8192, primeCount: 2, scale: 2 ** DEFAULT_THRESHOLD_CKKS.scaleBits, correctionFactor: 1n });
      expect(parsed.parmsId).toEqual(context.dataLevels[0]?.parmsId);
      expect(writeSealCiphertext(parsed)).toEqual(ciphertextBytes);

      const plaintextBytes = context.saveUncompressed(plaintext);
      expect(writeSealPlaintext(parseSealPlaintext(plaintextBytes, 'plaintext'))).toEqual(plaintextBytes);
      // A SecretKey is a key-level plaintext.
      const secret = parseSealPlaintext(context.saveUncompressed(secretKey), 'secret key');
      expect(secret.parmsId).toEqual(context.keyLevel.parmsId);
      secret.words.fill(0);

      // SEAL's own seeded public key: rewriting c0 and the seed with our writer reproduces it exactly.
      const seeded = context.saveUncompressed(serializable);
      const c0Words = 8192 * 3 * 2;
      const c0 = new Uint32Array(seeded.slice(113, 113 + c0Words * 4).buffer);
      const seed = seeded.slice(seeded.length - 64);
      const rewritten = writeSeededSealCiphertext({ parmsId: context.keyLevel.parmsId, polyModulusDegree: 8192, primeCount: 3, scale: 1, firstPoly: c0, seed });
      expect(rewritten).toEqual(seeded);
    } finally {
      context.dispose();
    }
    expect(liveSealHandleCount()).toBe(before);
  });

  it('refuses inconsistent bytes', () => {
    const words = new Uint32Array(2 * 16);
    const bytes = writeSealCiphertext({ parmsId: new Uint8Array(32), isNttForm: true, polyModulusDegree: 4, primeCount: 2, scale: 1, polys: [words.subarray(0, 16), words.subarray(16)] });
    expect(parseSealCiphertext(bytes, 'good').polys).toHaveLength(2);
    expect(() => parseSealCiphertext(bytes.subarray(0, bytes.length - 1), 'short')).toThrow(CiphertextError);
    const compressed = Uint8Array.from(bytes);
    compressed[5] = 2;
    expect(() => parseSealCiphertext(compressed, 'zstd')).toThrow(/uncompressed/);
    const huge = Uint8Array.from(bytes);
    new DataView(huge.buffer).setBigUint64(57, 1n << 40n, true);
    expect(() => parseSealCiphertext(huge, 'huge')).toThrow(/implausibly large/);
    expect(() => parseSealPlaintext(new Uint8Array(10), 'tiny')).toThrow(CiphertextError);
  });
});
