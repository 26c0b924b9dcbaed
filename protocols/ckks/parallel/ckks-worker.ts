/**
 * Worker-thread entry of CkksWorkerPool: loads its own SEAL (WASM heap and all) and owns one
 * CkksSession for the pool's parameters and public key; for threshold partial decryption it builds
 * its own ThresholdCkksContext on first use. Handles one request at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CkksSession } from '../ckks-session.js';
import type { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { serializeError, type CkksWorkerData, type WorkerRequest, type WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('ckks-worker.ts is a worker_threads entry, not a module to import');

function post(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof parentPort>).postMessage(message, transfer);
}

const { parameters, publicKey, secretKey, prepareThresholdDecryption } = workerData as CkksWorkerData;
let session: CkksSession;
try {
  session = await CkksSession.create(parameters, { ...(publicKey ? { publicKey } : {}), ...(secretKey ? { secretKey } : {}) });
} catch (error) {
  post({ type: 'init-failed', error: serializeError(error) });
  throw error;
} finally {
  secretKey?.fill(0); // this thread's copy; SEAL holds the loaded key
}

let threshold: Promise<{ context: ThresholdCkksContext; api: typeof import('../threshold/index.js') }> | undefined;
function thresholdContext(): NonNullable<typeof threshold> {
  threshold ??= (async () => {
    const api = await import('../threshold/index.js');
    return { context: await api.ThresholdCkksContext.create(parameters), api };
  })();
  return threshold;
}

async function decryptionShares(request: Extract<WorkerRequest, { type: 'decryption-share' }>): Promise<void> {
  const { context, api } = await thresholdContext();
  // Records the digests createDecryptionShare charges; the pool spends the caller's real budget on
  // them before any share leaves it (all or nothing, repeats across batches included).
  class DigestRecorder extends api.DecryptionBudget {
    readonly digests: string[] = [];
    override spend(ciphertextDigests: readonly string[]): void {
      this.digests.push(...ciphertextDigests);
    }
  }
  const recorder = new DigestRecorder(Number.MAX_SAFE_INTEGER);
  try {
    const shares = await api.createDecryptionShare(context, request.secretShare, request.chunks, { smudgingSigmaBits: request.smudgingSigmaBits, budget: recorder });
    post({ type: 'decryption-shares', id: request.id, shares, digests: recorder.digests }, shares.map((share) => share.buffer as ArrayBuffer));
  } finally {
    request.secretShare.fill(0);
  }
}

function decrypt(request: Extract<WorkerRequest, { type: 'decrypt' }>): void {
  let values: Float64Array;
  try {
    values = session.decryptVector([request.ciphertext], request.length);
  } catch (error) {
    // decryptVector names its only chunk "chunk 0": name the chunk of the whole vector instead.
    if (error instanceof Error) error.message = error.message.replace(/aggregate chunk 0\b/, `aggregate chunk ${request.chunkIndex}`);
    throw error;
  }
  post({ type: 'decrypted', id: request.id, values }, [values.buffer as ArrayBuffer]);
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  // Requests run strictly one after another; encryption is synchronous, decryption shares are async.
  queue = queue.then(async () => {
    try {
      if (request.type === 'encrypt') {
        const [ciphertext] = session.encryptVector(request.values);
        request.values.fill(0); // plaintext update values should not linger
        post({ type: 'encrypted', id: request.id, ciphertext: ciphertext as Uint8Array }, [(ciphertext as Uint8Array).buffer as ArrayBuffer]);
      } else if (request.type === 'decrypt') {
        decrypt(request);
      } else {
        await decryptionShares(request);
      }
    } catch (error) {
      if (request.type === 'encrypt') request.values.fill(0);
      post({ type: 'failed', id: request.id, error: serializeError(error) });
    }
  });
});

if (prepareThresholdDecryption) {
  try {
    await thresholdContext();
  } catch (error) {
    post({ type: 'init-failed', error: serializeError(error) });
    throw error;
  }
}
post({ type: 'ready', slotCount: session.slotCount });
