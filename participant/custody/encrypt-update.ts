import { availableParallelism } from 'node:os';
import { CkksWorkerPool, type EncryptedChunk } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import { ciphertextsFor } from '../../protocols/ckks/values-per-ciphertext.js';
import { countModelParameters } from '../../protocols/job/count-model-parameters.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { ParticipantNode } from '../participant-options.js';

/** Below this many ciphertexts per update, starting worker threads costs more than it saves. */
const MIN_CIPHERTEXTS_FOR_WORKERS = 4;

/**
 * The CKKS encryption stage of single-key and threshold custody: Enc(vector) in slot-sized chunks,
 * encrypted on worker threads for models of several ciphertexts and yielded as each chunk is ready,
 * so encryption, SEAL serialization and the upload overlap and only a few chunks are held beyond
 * the model itself. One pool per key; a small model is encrypted in this thread (the same code path).
 */
export class UpdateEncryptor {
  private current: { publicKey: Uint8Array; pool: CkksWorkerPool } | undefined;

  constructor(
    private readonly node: ParticipantNode,
    /** Single-key custody: with the shared secret key the workers encrypt symmetrically (seeded, half the bytes). */
    private readonly secretKey: Uint8Array | undefined,
    /** Threshold custody: the workers also make partial decryptions. */
    private readonly prepareThresholdDecryption: boolean,
  ) {}

  /** The pool of the latest key, if one was started (threshold custody decrypts on it too). */
  get pool(): CkksWorkerPool | undefined {
    return this.current?.pool;
  }

  async encryptChunks(job: JobSpec, publicKey: Uint8Array, vector: Float64Array): Promise<AsyncIterable<EncryptedChunk>> {
    return (await this.poolFor(job, publicKey)).encryptChunks(vector);
  }

  async close(): Promise<void> {
    await this.current?.pool.close();
    this.current = undefined;
  }

  private async poolFor(job: JobSpec, publicKey: Uint8Array): Promise<CkksWorkerPool> {
    if (this.current && Buffer.compare(this.current.publicKey, publicKey) === 0) return this.current.pool;
    await this.current?.pool.close();
    const ciphertextsPerUpdate = ciphertextsFor(job.ckks, countModelParameters(job));
    const threads = this.node.options.encryptionThreads ?? availableParallelism();
    const workers = ciphertextsPerUpdate >= MIN_CIPHERTEXTS_FOR_WORKERS ? threads : 0;
    const secretKey = this.secretKey;
    const pool = await CkksWorkerPool.create(job.ckks, { publicKey, ...(secretKey ? { secretKey } : {}) }, { workers, prepareThresholdDecryption: this.prepareThresholdDecryption });
    this.node.logger.info({ workers: pool.workerCount, ciphertextsPerUpdate }, 'encryption stage ready');
    this.current = { publicKey, pool };
    return pool;
  }
}
