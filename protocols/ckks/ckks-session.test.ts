import { describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../errors.js';
import type { CkksParameters } from './ckks-parameters.js';
import { CkksSession, liveSealHandleCount } from './ckks-session.js';

const parameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 40, 60], scaleBits: 40 };

function randomVector(length: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31 - 0.5) * 200;
  });
}

describe('CkksSession', () => {
  it('encrypts, adds and decrypts a multi-chunk vector within CKKS precision, leaking no handle', async () => {
    const before = liveSealHandleCount();
    const keys = await CkksSession.create(parameters).then((session) => {
      try {
        return session.generateKeyPair();
      } finally {
        session.dispose();
      }
    });
    const participant = await CkksSession.create(parameters, keys);
    expect(participant.valuesPerCiphertext).toBe(2 * participant.slotCount);
    // Three chunks: two full (real and imaginary halves) and a third whose imaginary half is partial.
    const length = participant.valuesPerCiphertext * 2 + participant.slotCount + 17;
    const a = randomVector(length, 1);
    const b = randomVector(length, 2);
    const encryptedA = participant.encryptVector(a);
    const encryptedB = participant.encryptVector(b);
    expect(encryptedA).toHaveLength(3);

    const coordinator = await CkksSession.create(parameters, { publicKey: keys.publicKey });
    expect(coordinator.canDecrypt).toBe(false);
    const sums = encryptedA.map((bytes, chunk) => {
      const accumulator = coordinator.loadCiphertext(bytes, `a[${chunk}]`);
      const addend = coordinator.loadCiphertext(encryptedB[chunk] as Uint8Array, `b[${chunk}]`);
      coordinator.addInPlace(accumulator, addend);
      coordinator.release(addend);
      const serialized = coordinator.serializeCiphertext(accumulator);
      coordinator.release(accumulator);
      return serialized;
    });
    expect(() => coordinator.decryptVector(sums, length)).toThrow(KeyCustodyError);

    const decrypted = participant.decryptVector(sums, length);
    let maxError = 0;
    for (let index = 0; index < length; index += 1) {
      maxError = Math.max(maxError, Math.abs((decrypted[index] as number) - ((a[index] as number) + (b[index] as number))));
    }
    expect(maxError).toBeLessThan(1e-5);
    // The ciphertext is not the plaintext: no float64 of the input appears in its bytes.
    const needle = new Uint8Array(new Float64Array([a[0] as number]).buffer);
    expect(Buffer.from(encryptedA[0] as Uint8Array).indexOf(Buffer.from(needle))).toBe(-1);

    coordinator.dispose();
    participant.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('serialized ciphertexts and keys own their bytes: later SEAL calls change none of them', async () => {
    const session = await CkksSession.create(parameters);
    const keys = session.generateKeyPair();
    session.dispose();
    const encrypting = await CkksSession.create(parameters, { publicKey: keys.publicKey });
    const first = encrypting.encryptVector(randomVector(2 * encrypting.valuesPerCiphertext, 5));
    const copies = first.map((bytes) => Uint8Array.from(bytes));
    const publicKeyCopy = Uint8Array.from(keys.publicKey);
    encrypting.encryptVector(randomVector(3 * encrypting.valuesPerCiphertext, 6));
    const loaded = encrypting.loadCiphertext(first[0] as Uint8Array, 'first chunk');
    encrypting.serializeCiphertext(loaded);
    encrypting.release(loaded);
    for (const [index, bytes] of [...first, keys.publicKey, keys.secretKey].entries()) {
      // Each on a buffer of its own (transferable to another thread), not a view into the WASM heap.
      expect(bytes.byteOffset, `bytes ${index}`).toBe(0);
      expect(bytes.buffer.byteLength, `bytes ${index}`).toBe(bytes.byteLength);
    }
    first.forEach((bytes, index) => expect(Buffer.compare(bytes, copies[index] as Uint8Array)).toBe(0));
    expect(Buffer.compare(keys.publicKey, publicKeyCopy)).toBe(0);
    encrypting.dispose();
  });

  it('packs two values per slot: both halves decrypt to their own values, whatever the length', async () => {
    const before = liveSealHandleCount();
    const generator = await CkksSession.create(parameters);
    const session = await CkksSession.create(parameters, generator.generateKeyPair());
    const half = session.slotCount;
    for (const length of [1, half - 1, half, half + 1, 2 * half, 2 * half + 1]) {
      const values = randomVector(length, length);
      const chunks = session.encryptVector(values);
      expect(chunks).toHaveLength(Math.ceil(length / (2 * half)));
      const decrypted = session.decryptVector(chunks, length);
      let maxError = 0;
      values.forEach((value, index) => (maxError = Math.max(maxError, Math.abs((decrypted[index] as number) - value))));
      expect(maxError, `length ${length}`).toBeLessThan(1e-5);
    }
    // The imaginary half is really another vector: a real-only reading of it would be all zeros.
    const marked = new Float64Array(2 * half).fill(0);
    marked[half] = 42;
    expect(session.decryptVector(session.encryptVector(marked), 2 * half)[half]).toBeCloseTo(42, 5);
    session.dispose();
    generator.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('with the secret key (single-key custody) encrypts symmetrically: c1 travels as a seed, half the bytes, same values', async () => {
    const before = liveSealHandleCount();
    const generator = await CkksSession.create(parameters);
    const keys = generator.generateKeyPair();
    const publicOnly = await CkksSession.create(parameters, { publicKey: keys.publicKey });
    const withSecret = await CkksSession.create(parameters, keys);
    const coordinator = await CkksSession.create(parameters);
    const values = randomVector(2 * withSecret.slotCount, 9);
    const [publicChunk] = publicOnly.encryptVector(values) as [Uint8Array];
    const [seededChunk] = withSecret.encryptVector(values) as [Uint8Array];
    expect(seededChunk.length).toBeLessThan(0.6 * publicChunk.length);
    // The coordinator (no key) loads it as a full ciphertext and adds it to a public-key one.
    const sum = coordinator.loadCiphertext(seededChunk, 'seeded');
    const other = coordinator.loadCiphertext(publicChunk, 'public');
    coordinator.addInPlace(sum, other);
    const summed = coordinator.serializeCiphertext(sum);
    coordinator.release(sum);
    coordinator.release(other);
    const decrypted = withSecret.decryptVector([summed], values.length);
    let maxError = 0;
    values.forEach((value, index) => (maxError = Math.max(maxError, Math.abs((decrypted[index] as number) - 2 * value))));
    expect(maxError).toBeLessThan(1e-5);
    for (const session of [coordinator, withSecret, publicOnly, generator]) session.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('encrypts vectors whose halves are all zero, seeded and with the public key (a node without evaluation rows)', async () => {
    const generator = await CkksSession.create(parameters);
    const keys = generator.generateKeyPair();
    generator.dispose();
    const seeded = await CkksSession.create(parameters, keys);
    const publicOnly = await CkksSession.create(parameters, { publicKey: keys.publicKey });
    try {
      const half = seeded.slotCount;
      const realOnly = new Float64Array(2 * half);
      realOnly[3] = 7;
      const imaginaryOnly = new Float64Array(2 * half);
      imaginaryOnly[half + 3] = -5;
      for (const values of [new Float64Array(2 * half), realOnly, imaginaryOnly]) {
        for (const encrypting of [seeded, publicOnly]) {
          const decrypted = seeded.decryptVector(encrypting.encryptVector(values), values.length);
          values.forEach((value, index) => expect(Math.abs((decrypted[index] as number) - value)).toBeLessThan(1e-5));
        }
      }
    } finally {
      seeded.dispose();
      publicOnly.dispose();
    }
  });

  it('refuses bytes that are not a ciphertext under the federation parameters', async () => {
    const before = liveSealHandleCount();
    const session = await CkksSession.create(parameters);
    const keys = session.generateKeyPair();
    const encrypting = await CkksSession.create(parameters, keys);
    const good = encrypting.encryptVector([1, 2, 3])[0] as Uint8Array;

    const random = new Uint8Array(good.length);
    for (let index = 0; index < random.length; index += 1) random[index] = (index * 7919) % 251;
    expect(() => session.loadCiphertext(random, 'random bytes')).toThrow(CiphertextError);
    expect(() => session.loadCiphertext(good.subarray(0, good.length / 2), 'truncated')).toThrow(CiphertextError);
    expect(() => session.loadCiphertext(new Uint8Array(8), 'tiny')).toThrow(/cannot be a SEAL ciphertext/);
    // A real ciphertext with data appended: SEAL would read the ciphertext and ignore the rest.
    const smuggled = new Uint8Array(good.length + 5_000);
    smuggled.set(good);
    smuggled.set(new TextEncoder().encode('56;housemaid;married;basic.4y;no;no;no;telephone;may;mon'.repeat(80)).subarray(0, 5_000), good.length);
    expect(() => session.loadCiphertext(smuggled, 'ciphertext plus appended rows')).toThrow(/trailing or missing data/);

    const otherParameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 60], scaleBits: 40 };
    const other = await CkksSession.create(otherParameters);
    const otherEncrypting = await CkksSession.create(otherParameters, other.generateKeyPair());
    const foreign = otherEncrypting.encryptVector([1, 2, 3])[0] as Uint8Array;
    expect(() => session.loadCiphertext(foreign, 'foreign')).toThrow(CiphertextError);

    for (const owner of [session, encrypting, other, otherEncrypting]) owner.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('refuses parameters that fail the 128-bit security check', async () => {
    const insecure: CkksParameters = { polyModulusDegree: 4096, coeffModulusBits: [60, 60, 60, 60], scaleBits: 40 };
    await expect(CkksSession.create(insecure)).rejects.toThrow(/128-bit/);
  });
});
