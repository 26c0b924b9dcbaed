import type { CKKSEncoder, Ciphertext, ClassHandle, Decryptor, Encryptor, Evaluator, Plaintext, SEALContext } from 'node-seal';
import { CiphertextError, KeyCustodyError } from '../errors.js';
import type { CkksParameters } from './ckks-parameters.js';
import { buildSealContext } from './build-seal-context.js';
import { describeSealFailure, sealFailure } from './describe-seal-failure.js';
import { imaginaryUnitPlaintext, multiplyByImaginaryUnit } from './imaginary-unit.js';
import { loadSeal, type Seal } from './load-seal.js';
import { noteSealHandlesCreated, noteSealHandlesDeleted } from './seal-handle-count.js';
import { parseSealPlaintext, writeSealPlaintext } from './threshold/seal-layout.js';
import { ciphertextsFor, valuesPerCiphertext } from './values-per-ciphertext.js';

export interface CkksKeyMaterial {
  /** SEAL-serialized PublicKey: lets a session encrypt. */
  readonly publicKey?: Uint8Array;
  /** SEAL-serialized SecretKey: lets a session decrypt. Never given to a coordinator. */
  readonly secretKey?: Uint8Array;
}

/** Re-exported so tests and callers keep importing the process-wide count from here. */
export { liveSealHandleCount, noteSealHandlesCreated, noteSealHandlesDeleted } from './seal-handle-count.js';

/**
 * Owns every SEAL object (context, encoder, keys, ciphertexts) made for one set of CKKS parameters.
 * SEAL objects live on the WASM heap and are not garbage-collected, so the session frees them all on
 * dispose and callers release the ciphertexts they are handed (`release`).
 */
export class CkksSession implements Disposable {
  /** SEAL's complex slots per ciphertext: N/2. */
  readonly slotCount: number;
  /** Values per ciphertext: N, two per slot (real and imaginary part). */
  readonly valuesPerCiphertext: number;
  readonly scale: number;

  private readonly owned = new Set<ClassHandle>();
  private readonly encoder: CKKSEncoder;
  private readonly evaluator: Evaluator;
  private encryptor: Encryptor | undefined;
  /** Symmetric encryption with the secret key: c1 travels as a seed (see loadKeys). */
  private seeded = false;
  private decryptor: Decryptor | undefined;
  /** X^(N/2) at the first data level: multiplies every slot by i (see imaginary-unit.ts). */
  private readonly imaginaryUnit: Plaintext;
  private readonly dataPrimeCount: number;
  private disposed = false;

  private constructor(
    private readonly seal: Seal,
    private readonly context: SEALContext,
    readonly parameters: CkksParameters,
  ) {
    this.own(context);
    this.encoder = this.own(new seal.CKKSEncoder(context));
    this.evaluator = this.own(new seal.Evaluator(context));
    this.slotCount = this.encoder.slotCount();
    this.valuesPerCiphertext = valuesPerCiphertext(parameters);
    this.scale = 2 ** parameters.scaleBits;
    // With one prime SEAL needs no special prime: the key level is the data level.
    this.dataPrimeCount = Math.max(1, parameters.coeffModulusBits.length - 1);
    const firstParmsId = context.firstParmsId();
    try {
      const parmsId = new Uint8Array(new BigUint64Array(firstParmsId.values() as BigUint64Array).buffer);
      this.imaginaryUnit = this.own(
        imaginaryUnitPlaintext(seal, context, this.evaluator, { parmsId, primeCount: this.dataPrimeCount }, parameters.polyModulusDegree),
      );
    } finally {
      firstParmsId.delete();
    }
  }

  get canEncrypt(): boolean {
    return this.encryptor !== undefined;
  }

  get canDecrypt(): boolean {
    return this.decryptor !== undefined;
  }

  private loadKeys(keys: CkksKeyMaterial): void {
    const { publicKey: publicKeyBytes, secretKey: secretKeyBytes } = keys;
    if (publicKeyBytes) {
      const publicKey = this.own(new this.seal.PublicKey());
      this.loadOrThrow(() => publicKey.loadFromArray(this.context, publicKeyBytes), 'public key', KeyCustodyError);
      this.encryptor = this.own(new this.seal.Encryptor(this.context, publicKey));
    }
    if (secretKeyBytes) {
      const secretKey = this.own(new this.seal.SecretKey());
      this.loadOrThrow(() => secretKey.loadFromArray(this.context, secretKeyBytes), 'secret key', KeyCustodyError);
      this.decryptor = this.own(new this.seal.Decryptor(this.context, secretKey));
      // Holding the secret key (single-key custody), encrypt symmetrically: SEAL then sends c1 as a
      // 64-byte seed, so a ciphertext is half the size. Equally opaque to the coordinator, which has no key.
      if (this.encryptor) {
        this.encryptor.setSecretKey(secretKey);
        this.seeded = true;
      }
    }
  }

  /** Builds the SEAL context and refuses parameters that fail SEAL's 128-bit security check. */
  static async create(parameters: CkksParameters, keys: CkksKeyMaterial = {}): Promise<CkksSession> {
    const seal = await loadSeal();
    const context = buildSealContext(seal, parameters);
    const session = new CkksSession(seal, context, parameters);
    try {
      session.loadKeys(keys);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }

  /** Creates a fresh key pair for these parameters (the single-key custody mode). */
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
    const generator = this.own(new this.seal.KeyGenerator(this.context));
    const secretKey = this.own(generator.secretKey());
    const publicKey = this.own(generator.createPublicKey());
    try {
      return {
        publicKey: this.toBytes(publicKey.saveToArray(this.seal.ComprModeType.zstd)),
        secretKey: this.toBytes(secretKey.saveToArray(this.seal.ComprModeType.zstd)),
      };
    } finally {
      this.release(publicKey);
      this.release(secretKey);
      this.release(generator);
    }
  }

  /** Number of ciphertexts that a vector of `length` values needs. */
  chunkCountFor(length: number): number {
    return ciphertextsFor(this.parameters, length);
  }

  /**
   * Encrypts `values` in chunks of N: values [start, start + N/2) go to the slots' real parts and
   * [start + N/2, start + N) to their imaginary parts, as Enc(encode(imag)) * X^(N/2) + encode(real).
   * Returns SEAL-serialized ciphertexts.
   */
  encryptVector(values: ArrayLike<number>): Uint8Array[] {
    const encryptor = this.requireEncryptor();
    const chunkCount = this.chunkCountFor(values.length);
    const realSlots = new Float64Array(this.slotCount);
    const imaginarySlots = new Float64Array(this.slotCount);
    const realPlaintext = this.own(new this.seal.Plaintext());
    const imaginaryPlaintext = this.own(new this.seal.Plaintext());
    const ciphertext = this.own(new this.seal.Ciphertext());
    try {
      const chunks: Uint8Array[] = [];
      for (let chunk = 0; chunk < chunkCount; chunk += 1) {
        const start = chunk * this.valuesPerCiphertext;
        this.copySlots(values, start, realSlots);
        const hasImaginaryPart = this.copySlots(values, start + this.slotCount, imaginarySlots);
        try {
          this.encoder.encode(realSlots, this.scale, realPlaintext);
          if (hasImaginaryPart) this.encoder.encode(imaginarySlots, this.scale, imaginaryPlaintext);
        } catch (thrown) {
          throw sealFailure(thrown, `encoding values ${start} to ${Math.min(values.length, start + this.valuesPerCiphertext) - 1} (largest magnitude ${largestMagnitude(values, start, this.valuesPerCiphertext)})`);
        }
        if (this.seeded) {
          // The seed must expand to c1 as is: pack the plaintext first, then encrypt it once.
          if (hasImaginaryPart) this.packPlaintext(realPlaintext, imaginaryPlaintext, ciphertext);
          const serializable = encryptor.encryptSymmetricSerializable(realPlaintext);
          try {
            chunks.push(this.toBytes(serializable.saveToArray(this.seal.ComprModeType.zstd)));
          } finally {
            serializable.delete();
          }
          continue;
        }
        if (hasImaginaryPart) {
          encryptor.encrypt(imaginaryPlaintext, ciphertext);
          this.evaluator.multiplyPlainInplace(ciphertext, this.imaginaryUnit);
          this.evaluator.addPlainInplace(ciphertext, realPlaintext);
        } else {
          encryptor.encrypt(realPlaintext, ciphertext);
        }
        chunks.push(this.serializeCiphertext(ciphertext));
      }
      return chunks;
    } catch (thrown) {
      throw sealFailure(thrown, 'encrypting an update');
    } finally {
      // plaintext update values should not linger in JS memory
      realSlots.fill(0);
      imaginarySlots.fill(0);
      this.release(ciphertext);
      this.release(imaginaryPlaintext);
      this.release(realPlaintext);
    }
  }

  /** real += imaginary * X^(N/2), on plaintexts (see multiplyByImaginaryUnit); `carrier` is a scratch ciphertext. */
  private packPlaintext(real: Plaintext, imaginary: Plaintext, carrier: Ciphertext): void {
    const imaginaryBytes = imaginary.saveToArray(this.seal.ComprModeType.none) as Uint8Array;
    let packed: Uint8Array | undefined;
    try {
      const { parmsId, scale, words } = parseSealPlaintext(imaginaryBytes, 'encoded chunk');
      const services = { seal: this.seal, context: this.context, evaluator: this.evaluator, polyModulusDegree: this.parameters.polyModulusDegree };
      const sum = multiplyByImaginaryUnit(services, carrier, this.imaginaryUnit, { parmsId, primeCount: this.dataPrimeCount }, scale, words, real);
      words.fill(0);
      packed = writeSealPlaintext({ parmsId, scale, words: sum });
      sum.fill(0);
      real.loadFromArray(this.context, packed);
    } finally {
      // Encoded update values: wipe every JS copy.
      imaginaryBytes.fill(0);
      packed?.fill(0);
    }
  }

  /**
   * slots = values[from, from + slotCount), zero-padded; returns whether any of them is non-zero. An
   * all-zero imaginary half is not packed at all: it changes nothing, and SEAL refuses to multiply the
   * transparent (all-zero) carrier ciphertext that packing it would need.
   */
  private copySlots(values: ArrayLike<number>, from: number, slots: Float64Array): boolean {
    slots.fill(0);
    const end = Math.min(values.length, from + slots.length);
    let nonZero = false;
    for (let index = from; index < end; index += 1) {
      const value = values[index] as number;
      if (!Number.isFinite(value)) throw new CiphertextError(`value at index ${index} is not finite; refusing to encrypt`);
      slots[index - from] = value;
      if (value !== 0) nonZero = true;
    }
    return nonZero;
  }

  /**
   * Loads bytes as a ciphertext and checks that it is a fresh-level, two-polynomial CKKS ciphertext
   * under exactly these parameters and scale. Anything else is refused with a CiphertextError.
   */
  loadCiphertext(bytes: Uint8Array, where: string): Ciphertext {
    if (bytes.length < 16) throw new CiphertextError(`${where}: ${bytes.length} bytes cannot be a SEAL ciphertext`);
    // SEAL's header states the object's total size; SEAL itself ignores bytes after it, so anything
    // appended to a real ciphertext would ride along unseen. Exactly one object, nothing more.
    const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(8, true);
    if (declared !== BigInt(bytes.length)) {
      throw new CiphertextError(`${where} does not load as one SEAL ciphertext: ${bytes.length} bytes, but its header declares ${declared} (trailing or missing data)`);
    }
    const ciphertext = this.own(new this.seal.Ciphertext());
    try {
      // Embind accepts exactly Uint8Array, not subclasses such as Node's Buffer: view the same bytes.
      const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.loadOrThrow(() => ciphertext.loadFromArray(this.context, view), where, CiphertextError);
      const problems: string[] = [];
      if (ciphertext.size() !== 2) problems.push(`has ${ciphertext.size()} polynomials, expected 2`);
      if (!ciphertext.isNttForm()) problems.push('is not in NTT form');
      if (ciphertext.polyModulusDegree() !== this.parameters.polyModulusDegree) problems.push('has another ring degree');
      if (ciphertext.coeffModulusSize() !== this.dataPrimeCount) {
        problems.push(`is at a level with ${ciphertext.coeffModulusSize()} primes, expected ${this.dataPrimeCount}`);
      }
      // A transparent ciphertext (second polynomial zero) is readable by anyone: plaintext in disguise.
      if (ciphertext.isTransparent()) problems.push('is transparent (it hides nothing)');
      if (ciphertext.scale() !== this.scale) problems.push(`has scale 2^${Math.log2(ciphertext.scale()).toFixed(2)}, expected 2^${this.parameters.scaleBits}`);
      if (problems.length > 0) throw new CiphertextError(`${where}: ciphertext ${problems.join('; ')}`);
      return ciphertext;
    } catch (error) {
      this.release(ciphertext);
      throw error;
    }
  }

  /** accumulator += addend, homomorphically. */
  addInPlace(accumulator: Ciphertext, addend: Ciphertext): void {
    this.evaluator.addInplace(accumulator, addend);
  }

  /** accumulator -= subtrahend; exact modulo q, so it undoes an earlier add bit for bit. */
  subtractInPlace(accumulator: Ciphertext, subtrahend: Ciphertext): void {
    this.evaluator.subInplace(accumulator, subtrahend);
  }

  /** SEAL bytes of a ciphertext; `none` gives a canonical form for comparing two ciphertexts. */
  serializeCiphertext(ciphertext: Ciphertext, compression: 'zstd' | 'none' = 'zstd'): Uint8Array {
    return this.toBytes(ciphertext.saveToArray(this.seal.ComprModeType[compression]));
  }

  /** Decrypts serialized ciphertext chunks back into the first `length` values. */
  decryptVector(chunks: readonly Uint8Array[], length: number): Float64Array {
    const decryptor = this.requireDecryptor();
    if (chunks.length !== this.chunkCountFor(length)) {
      throw new CiphertextError(`expected ${this.chunkCountFor(length)} ciphertext chunks for ${length} values, got ${chunks.length}`);
    }
    const output = new Float64Array(length);
    const plaintext = this.own(new this.seal.Plaintext());
    try {
      chunks.forEach((bytes, chunk) => {
        const ciphertext = this.loadCiphertext(bytes, `aggregate chunk ${chunk}`);
        try {
          const start = chunk * this.valuesPerCiphertext;
          decryptor.decrypt(ciphertext, plaintext);
          const real = this.encoder.decodeFloat64(plaintext) as Float64Array;
          output.set(real.subarray(0, Math.min(this.slotCount, length - start)), start);
          const imaginaryStart = start + this.slotCount;
          if (imaginaryStart < length) {
            // Re((z + i*w) * i) = -w
            this.evaluator.multiplyPlainInplace(ciphertext, this.imaginaryUnit);
            decryptor.decrypt(ciphertext, plaintext);
            const rotated = this.encoder.decodeFloat64(plaintext) as Float64Array;
            const count = Math.min(this.slotCount, length - imaginaryStart);
            for (let slot = 0; slot < count; slot += 1) output[imaginaryStart + slot] = -(rotated[slot] as number);
          }
        } finally {
          this.release(ciphertext);
        }
      });
      return output;
    } catch (thrown) {
      throw sealFailure(thrown, 'decrypting an aggregate');
    } finally {
      this.release(plaintext);
    }
  }

  /** Frees one handle this session made. */
  release(handle: ClassHandle): void {
    if (!this.owned.delete(handle)) return;
    if (!handle.isDeleted()) handle.delete();
    noteSealHandlesDeleted(1);
  }

  /** Frees every SEAL object the session still owns. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const handle of [...this.owned].reverse()) this.release(handle);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private own<T extends ClassHandle>(handle: T): T {
    this.owned.add(handle);
    noteSealHandlesCreated(1);
    return handle;
  }

  private requireEncryptor(): Encryptor {
    if (!this.encryptor) throw new KeyCustodyError('this CKKS session holds no public key and cannot encrypt');
    return this.encryptor;
  }

  private requireDecryptor(): Decryptor {
    if (!this.decryptor) throw new KeyCustodyError('this CKKS session holds no secret key and cannot decrypt');
    return this.decryptor;
  }

  private loadOrThrow(
    load: () => void,
    what: string,
    ErrorType: new (message: string, options?: { cause?: unknown }) => Error,
  ): void {
    try {
      load();
    } catch (thrown) {
      throw new ErrorType(`${what} does not load under the federation's CKKS parameters: ${describeSealFailure(thrown)}`);
    }
  }

  private toBytes(saved: unknown): Uint8Array {
    // node-seal 7's saveToArray returns a fresh Uint8Array over a buffer of its own: kept as is (copying
    // it again cost ~1 % of encryption, issue #19). A view into a larger buffer (the WASM heap, which
    // later SEAL calls may move or overwrite) is copied.
    if (saved instanceof Uint8Array && saved.byteOffset === 0 && saved.buffer instanceof ArrayBuffer && saved.buffer.byteLength === saved.byteLength) return saved;
    return Uint8Array.from(saved as Uint8Array);
  }
}

/** max |values[start, start + count)|, for a message that says how large the refused values were. */
function largestMagnitude(values: ArrayLike<number>, start: number, count: number): number {
  let largest = 0;
  for (let index = start; index < Math.min(values.length, start + count); index += 1) largest = Math.max(largest, Math.abs(values[index] as number));
  return largest;
}
