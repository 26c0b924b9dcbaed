import type { EncryptedChunk } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import { ciphertextsFor, valuesPerCiphertext } from '../../protocols/ckks/values-per-ciphertext.js';
import { encodePlaintextUpdateChunk } from '../../protocols/aggregation/plaintext-update-chunk.js';
import { ConfigError } from '../../protocols/errors.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { ParticipantNode } from '../participant-options.js';
import { noDecryptionKey, notThresholdCustody, type ParticipantCustody } from './participant-custody.js';

/**
 * Custody `none`: homomorphic encryption switched off, the benchmark baseline (README, "Key custody
 * and threat model"). Updates leave as float32 and the coordinator publishes their sum; a node
 * takes such a job only when its own config allows it.
 */
export class NoCustody implements ParticipantCustody {
  readonly mode = 'none';
  readonly updateDescription = 'unencrypted update';
  readonly reportsFederatedEvaluation = false;

  constructor(private readonly node: ParticipantNode) {}

  acceptJob(job: JobSpec): void {
    if (!this.node.options.allowUnencryptedUpdates) {
      throw new ConfigError(
        `job ${job.jobId} has custody "none": updates would leave this node unencrypted and the coordinator would see each one; ` +
          'refusing (set allowUnencryptedUpdates in this node\'s config only for a benchmark on data that may be shared)',
      );
    }
    this.node.logger.warn({ jobId: job.jobId }, 'custody none: this node sends its updates UNENCRYPTED (benchmark baseline); its ledger records them as plaintext');
  }

  async openJob(): Promise<void> {}

  async onKeySetupRequested(): Promise<void> {
    throw notThresholdCustody();
  }

  async onKeySetupComplete(): Promise<void> {
    throw notThresholdCustody();
  }

  readyToEncode(): boolean {
    return true;
  }

  async encodeUpdate(job: JobSpec, vector: Float64Array): Promise<AsyncIterable<EncryptedChunk>> {
    return plaintextChunks(vector, valuesPerCiphertext(job.ckks), ciphertextsFor(job.ckks, vector.length));
  }

  signUpdate(): undefined {
    return undefined;
  }

  async decryptAggregate(): Promise<Float64Array> {
    throw noDecryptionKey();
  }

  async onDecryptionRequested(): Promise<void> {
    throw notThresholdCustody();
  }

  /** The key folder this node started with is all it needs. */
  async holdsKeyMaterial(): Promise<boolean> {
    return true;
  }

  checkResumed(): void {}

  async restore(): Promise<void> {}

  savedKey(): { collectiveKey: null; collectiveKeySha256: null } {
    return { collectiveKey: null, collectiveKeySha256: null };
  }

  async dispose(): Promise<void> {}
}

/** The update as float32 chunks of N values, in the order encryptChunks would yield them. */
async function* plaintextChunks(vector: Float64Array, valuesPerChunk: number, chunkCount: number): AsyncGenerator<EncryptedChunk> {
  for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex += 1) {
    const start = chunkIndex * valuesPerChunk;
    yield { chunkIndex, ciphertext: encodePlaintextUpdateChunk(vector, start, Math.min(vector.length, start + valuesPerChunk)) };
  }
}
