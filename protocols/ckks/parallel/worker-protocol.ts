/**
 * Messages between CkksWorkerPool (main thread) and ckks-worker.ts. Every array crosses by transfer
 * (postMessage transferList), never by copy, except the key bytes at start-up.
 */
import { CiphertextError, ConfigError, HeflError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { sealFailure } from '../describe-seal-failure.js';

/** `workerData` of every pool worker. */
export interface CkksWorkerData {
  readonly parameters: CkksParameters;
  readonly publicKey: Uint8Array | undefined;
  /** Single-key custody only: lets the workers decrypt (decryptVector). */
  readonly secretKey: Uint8Array | undefined;
  /** Threshold custody: build the threshold context before reporting ready, not in the first decryption. */
  readonly prepareThresholdDecryption?: boolean;
}

export type WorkerRequest =
  /** One ciphertext-sized slice (at most N values); the worker zeroes it after encoding. */
  | { readonly type: 'encrypt'; readonly id: number; readonly values: Float64Array }
  /** One serialized ciphertext chunk to decrypt and decode; its first `length` values are wanted. */
  | { readonly type: 'decrypt'; readonly id: number; readonly ciphertext: Uint8Array; readonly chunkIndex: number; readonly length: number }
  /** Threshold partial decryption of a batch of aggregate chunks; the worker zeroes its secret-share copy. */
  | {
      readonly type: 'decryption-share';
      readonly id: number;
      readonly secretShare: Uint8Array;
      readonly chunks: readonly Uint8Array[];
      readonly smudgingSigmaBits: number;
    };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
}

export type WorkerResponse =
  | { readonly type: 'ready'; readonly slotCount: number }
  | { readonly type: 'init-failed'; readonly error: SerializedError }
  | { readonly type: 'encrypted'; readonly id: number; readonly ciphertext: Uint8Array }
  | { readonly type: 'decrypted'; readonly id: number; readonly values: Float64Array }
  /** `digests`: SHA-256 hex of each chunk's canonical form, in order (what DecryptionBudget.spend takes). */
  | { readonly type: 'decryption-shares'; readonly id: number; readonly shares: readonly Uint8Array[]; readonly digests: readonly string[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError };

export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof Error) {
    return { name: thrown.name, message: thrown.message, code: thrown instanceof HeflError ? thrown.code : undefined };
  }
  // A SEAL exception (a WebAssembly.Exception) is no Error: name what SEAL said, with what to change.
  const failure = sealFailure(thrown, 'a CKKS operation in a worker');
  return { name: failure.name, message: failure.message, code: failure.code };
}

/** Rebuilds the HEFL error class a worker threw, so callers can `instanceof` it as with CkksSession. */
export function deserializeError(error: SerializedError, prefix: string): Error {
  const message = `${prefix}${error.message}`;
  switch (error.code) {
    case 'CIPHERTEXT_INVALID':
      return new CiphertextError(message);
    case 'KEY_CUSTODY_VIOLATION':
      return new KeyCustodyError(message);
    case 'CONFIG_INVALID':
      return new ConfigError(message);
    default: {
      const rebuilt = error.name === 'RangeError' ? new RangeError(message) : error.name === 'TypeError' ? new TypeError(message) : new Error(message);
      return rebuilt;
    }
  }
}
