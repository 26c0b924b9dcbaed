/**
 * Owns the SEAL objects the threshold functions share, so repeated calls do not rebuild contexts:
 * - `context`: the federation's CKKS context (SEAL's tc128 check must pass);
 * - `keyLevelContext`: a second context whose primes are the key-level primes plus one extra prime.
 *   Its first data level has exactly the key level's primes and parms_id, so SEAL's Evaluator (which
 *   refuses key-level operands in the real context) computes key-level NTT products for key generation.
 *   It is a compute service only: nothing is ever encrypted under it, so its security level is irrelevant.
 * Every handle is counted with noteSealHandlesCreated/Deleted and freed on dispose.
 */
import { createHash } from 'node:crypto';
import type { CKKSEncoder, ClassHandle, ContextData, Evaluator, Plaintext, SEALContext } from 'node-seal';
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { noteSealHandlesCreated, noteSealHandlesDeleted } from '../seal-handle-count.js';
import { buildSealContext } from '../build-seal-context.js';
import { describeSealFailure } from '../describe-seal-failure.js';
import { imaginaryUnitPlaintext, multiplyByImaginaryUnit } from '../imaginary-unit.js';
import { loadSeal, type Seal } from '../load-seal.js';
import { valuesPerCiphertext } from '../values-per-ciphertext.js';
import { rnsPrimes, type RnsPrimes } from './rns-words.js';
import { parseSealCiphertext, PARMS_ID_BYTES, type ParsedSealCiphertext } from './seal-layout.js';

/** One level of SEAL's modulus chain: its parms_id and its primes. */
export interface RnsLevel {
  readonly parmsId: Uint8Array;
  readonly parmsIdHex: string;
  readonly primes: RnsPrimes;
  readonly primeCount: number;
}

/** A ciphertext chunk that SEAL loaded and that passed every check, in raw form. */
export interface LoadedChunk {
  readonly raw: ParsedSealCiphertext;
  readonly level: RnsLevel;
  /** SHA-256 of the canonical (uncompressed) SEAL serialization: names the ciphertext. */
  readonly digest: Uint8Array;
}

interface SaveableToArray {
  saveToArray(mode: Seal['ComprModeType']['none']): unknown;
}

export class ThresholdCkksContext implements Disposable {
  readonly polyModulusDegree: number;
  /** SEAL's complex slots: N/2. */
  readonly slotCount: number;
  /** Values per ciphertext: N, two per slot (see CkksSession.encryptVector). */
  readonly valuesPerCiphertext: number;
  readonly scale: number;
  readonly encoder: CKKSEncoder;
  readonly evaluator: Evaluator;

  private readonly owned = new Set<ClassHandle>();
  private levels: { key: RnsLevel; data: readonly RnsLevel[] } | undefined;
  private keyLevelService: { context: SEALContext; evaluator: Evaluator } | undefined;
  private readonly levelsById = new Map<string, RnsLevel>();
  private readonly imaginaryUnits = new Map<string, Plaintext>();
  private disposed = false;

  private constructor(
    readonly seal: Seal,
    readonly context: SEALContext,
    readonly parameters: CkksParameters,
  ) {
    this.own(context);
    this.encoder = this.own(new seal.CKKSEncoder(context));
    this.evaluator = this.own(new seal.Evaluator(context));
    this.slotCount = this.encoder.slotCount();
    this.valuesPerCiphertext = valuesPerCiphertext(parameters);
    this.polyModulusDegree = parameters.polyModulusDegree;
    this.scale = 2 ** parameters.scaleBits;
  }

  /** Builds both SEAL contexts; refuses parameters that fail SEAL's 128-bit security check. */
  static async create(parameters: CkksParameters): Promise<ThresholdCkksContext> {
    const seal = await loadSeal();
    const context = buildSealContext(seal, parameters);
    const threshold = new ThresholdCkksContext(seal, context, parameters);
    try {
      threshold.readLevels();
      threshold.buildKeyLevelService();
    } catch (error) {
      threshold.dispose();
      throw error;
    }
    return threshold;
  }

  /** Key level: every prime, special prime included (the level of keys and of the secret share). */
  get keyLevel(): RnsLevel {
    return this.requireBuilt(this.levels).key;
  }

  /** Data levels from the top (all data primes) down to one prime. */
  get dataLevels(): readonly RnsLevel[] {
    return this.requireBuilt(this.levels).data;
  }

  /** SEAL context whose first data level mirrors the key level (see the file comment). */
  get keyLevelContext(): SEALContext {
    return this.requireBuilt(this.keyLevelService).context;
  }

  get keyLevelEvaluator(): Evaluator {
    return this.requireBuilt(this.keyLevelService).evaluator;
  }

  /** The data level with this parms_id, or undefined (key level and foreign parameters included). */
  dataLevel(parmsId: Uint8Array): RnsLevel | undefined {
    return this.levelsById.get(Buffer.from(parmsId).toString('hex'));
  }

  /**
   * Loads a peer's ciphertext chunk through SEAL (which checks sizes, parms_id and that every coefficient
   * is below its prime), then insists on two polynomials, NTT form, a data level and the job's scale.
   */
  loadChunk(bytes: Uint8Array, where: string): LoadedChunk {
    if (!(bytes instanceof Uint8Array) || bytes.length < 16) throw new CiphertextError(`${where}: not a SEAL ciphertext`);
    const ciphertext = this.own(new this.seal.Ciphertext());
    let saved: Uint8Array;
    try {
      this.loadInto(ciphertext, bytes, where);
      const problems: string[] = [];
      if (ciphertext.size() !== 2) problems.push(`has ${ciphertext.size()} polynomials, expected 2`);
      if (!ciphertext.isNttForm()) problems.push('is not in NTT form');
      if (ciphertext.scale() !== this.scale) problems.push(`has scale 2^${Math.log2(ciphertext.scale()).toFixed(2)}, expected 2^${this.parameters.scaleBits}`);
      if (problems.length > 0) throw new CiphertextError(`${where}: ciphertext ${problems.join('; ')}`);
      saved = this.saveUncompressed(ciphertext);
    } finally {
      this.release(ciphertext);
    }
    const raw = parseSealCiphertext(saved, where);
    const level = this.dataLevel(raw.parmsId);
    if (!level || raw.primeCount !== level.primeCount || raw.polyModulusDegree !== this.polyModulusDegree) {
      throw new CiphertextError(`${where}: ciphertext is not at a data level of the federation's parameters`);
    }
    return { raw, level, digest: new Uint8Array(createHash('sha256').update(saved).digest()) };
  }

  /** words * X^(N/2) for an NTT-form polynomial at `level`: every slot times i (see multiplyByImaginaryUnit). */
  multiplyByImaginaryUnit(words: Uint32Array, level: RnsLevel, scale: number): Uint32Array {
    let unit = this.imaginaryUnits.get(level.parmsIdHex);
    if (!unit) {
      unit = this.own(imaginaryUnitPlaintext(this.seal, this.context, this.evaluator, level, this.polyModulusDegree));
      this.imaginaryUnits.set(level.parmsIdHex, unit);
    }
    const carrier = this.own(new this.seal.Ciphertext());
    try {
      return multiplyByImaginaryUnit(this, carrier, unit, level, scale, words);
    } finally {
      this.release(carrier);
    }
  }

  /** Loads `bytes` into a SEAL object, turning SEAL's exception into a CiphertextError. */
  loadInto(target: { loadFromArray(context: SEALContext, bytes: Uint8Array): void }, bytes: Uint8Array, where: string, context = this.context): void {
    try {
      // Embind accepts exactly Uint8Array, not subclasses such as Buffer: view the same bytes.
      target.loadFromArray(context, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (thrown) {
      throw new CiphertextError(`${where} does not load under the federation's CKKS parameters: ${describeSealFailure(thrown)}`);
    }
  }

  /** Uncompressed serialization; node-seal returns a fresh JS-owned array, so callers may wipe it. */
  saveUncompressed(object: SaveableToArray): Uint8Array {
    return object.saveToArray(this.seal.ComprModeType.none) as Uint8Array;
  }

  own<T extends ClassHandle>(handle: T): T {
    this.owned.add(handle);
    noteSealHandlesCreated(1);
    return handle;
  }

  release(handle: ClassHandle): void {
    if (!this.owned.delete(handle)) return;
    if (!handle.isDeleted()) handle.delete();
    noteSealHandlesDeleted(1);
  }

  /** Frees every SEAL object still owned. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const handle of [...this.owned].reverse()) this.release(handle);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private requireBuilt<T>(value: T | undefined): T {
    if (value === undefined || this.disposed) throw new CiphertextError('threshold CKKS context is not available (disposed)');
    return value;
  }

  private readLevels(): void {
    const keyData = this.own(this.context.keyContextData());
    const key = this.describeLevel(keyData);
    this.release(keyData);
    const levels: RnsLevel[] = [];
    let data = this.own(this.context.firstContextData());
    // nextContextData() past the last level returns an empty wrapper, not null: stop at chain index 0.
    for (;;) {
      const level = this.describeLevel(data);
      levels.push(level);
      this.levelsById.set(level.parmsIdHex, level);
      if (data.chainIndex() === 0) {
        this.release(data);
        break;
      }
      const next = this.own(data.nextContextData());
      this.release(data);
      data = next;
    }
    this.levels = { key, data: levels };
  }

  /** Reads parms_id and primes of a ContextData (which the caller releases). */
  private describeLevel(contextData: ContextData): RnsLevel {
    const parmsIdHandle = this.own(contextData.parmsId());
    const parms = this.own(contextData.parms());
    const moduli = this.own(parms.coeffModulus());
    try {
      const parmsId = new Uint8Array(new BigUint64Array(parmsIdHandle.values() as BigUint64Array).buffer);
      if (parmsId.length !== PARMS_ID_BYTES) throw new CiphertextError('SEAL returned an unexpected parms_id');
      const primes = rnsPrimes(this.seal.jsArrayFromVecModulus(moduli) as bigint[]);
      return { parmsId, parmsIdHex: Buffer.from(parmsId).toString('hex'), primes, primeCount: primes.values.length };
    } finally {
      this.release(moduli);
      this.release(parms);
      this.release(parmsIdHandle);
    }
  }

  private buildKeyLevelService(): void {
    const { seal, parameters } = this;
    const keyPrimes = this.keyLevel.primes.values;
    const candidates = this.own(seal.CoeffModulus.Create(parameters.polyModulusDegree, Int32Array.from([...parameters.coeffModulusBits, 30])));
    let extra: bigint;
    try {
      extra = (seal.jsArrayFromVecModulus(candidates) as bigint[])[keyPrimes.length] as bigint;
    } finally {
      this.release(candidates);
    }
    if (keyPrimes.includes(extra)) throw new CiphertextError('could not find a spare NTT prime for key-level arithmetic');
    const moduli = this.own(new seal.VectorModulus());
    const encryptionParameters = this.own(new seal.EncryptionParameters(seal.SchemeType.ckks));
    let keyLevelContext: SEALContext;
    try {
      for (const prime of [...keyPrimes, extra]) {
        const modulus = this.own(new seal.Modulus(prime));
        moduli.push_back(modulus);
        this.release(modulus);
      }
      encryptionParameters.setPolyModulusDegree(parameters.polyModulusDegree);
      encryptionParameters.setCoeffModulus(moduli);
      keyLevelContext = this.own(new seal.SEALContext(encryptionParameters, true, seal.SecLevelType.none));
    } finally {
      this.release(encryptionParameters);
      this.release(moduli);
    }
    const firstId = this.own(keyLevelContext.firstParmsId());
    const sameId = Buffer.from(new BigUint64Array(firstId.values() as BigUint64Array).buffer).equals(this.keyLevel.parmsId);
    this.release(firstId);
    if (!keyLevelContext.parametersSet() || !sameId) throw new CiphertextError('key-level helper context does not mirror the key level');
    this.keyLevelService = { context: keyLevelContext, evaluator: this.own(new seal.Evaluator(keyLevelContext)) };
  }
}

/**
 * Runs `use` with a context: the caller's (left open, for reuse across calls) or a temporary one built
 * from parameters and disposed afterwards.
 */
export async function withThresholdContext<T>(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  use: (context: ThresholdCkksContext) => T | Promise<T>,
): Promise<T> {
  if (parametersOrContext instanceof ThresholdCkksContext) {
    if (parametersOrContext.isDisposed) throw new CiphertextError('threshold CKKS context is already disposed');
    return use(parametersOrContext);
  }
  const context = await ThresholdCkksContext.create(parametersOrContext);
  try {
    return await use(context);
  } finally {
    context.dispose();
  }
}
