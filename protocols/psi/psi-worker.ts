/**
 * Worker-thread entry of PsiWorkerPool: one set of OpenSSL exponentiation contexts, one task at a
 * time, results moved back by transfer. Errors go back as messages (PsiError keeps its name).
 */
import { parentPort } from 'node:worker_threads';
import { createHashPowers, resultBuffers, runPsiTask, type PsiWorkerRequest } from './psi-compute.js';

const port = parentPort;
if (!port) throw new Error('psi-worker.ts is a worker_threads entry, not a module to import');

const powers = createHashPowers();
port.on('message', ({ id, task }: PsiWorkerRequest) => {
  try {
    const result = runPsiTask(task, powers);
    port.postMessage({ id, result }, resultBuffers(result));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const name = error instanceof Error ? error.name : 'Error';
    port.postMessage({ id, error: { name, message } });
  }
});
port.postMessage({ ready: true });
