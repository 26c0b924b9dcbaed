/**
 * CKKS on every core: CkksWorkerPool (worker threads, one SEAL instance and CkksSession each) for
 * streaming encryption (encryptChunks), single-key decryption (decryptVector) and threshold partial
 * decryption (decryptionShares). See ckks-worker-pool.ts.
 */
export { CkksWorkerPool } from './ckks-worker-pool.js';
export type { CkksPoolKeys, CkksWorkerPoolOptions, EncryptedChunk, ParallelDecryptionShareOptions } from './ckks-worker-pool.js';
