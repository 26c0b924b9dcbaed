/**
 * Starting a pool worker (used by ckks-worker-pool.ts): where ckks-worker.ts is, which Node options it
 * runs with, and waiting for its 'ready' message (worker-protocol.ts).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { deserializeError, type WorkerResponse } from './worker-protocol.js';

/** The worker entry beside this module: .ts when run from source (tsx, vitest), .js if compiled. */
export function workerEntry(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./ckks-worker${extension}`, import.meta.url);
}

function importsTsx(execArgv: readonly string[]): boolean {
  return execArgv.some((argument, index) => {
    const value = argument.startsWith('--import=') || argument.startsWith('--loader=') ? argument.slice(argument.indexOf('=') + 1) : ['--import', '--loader', '--experimental-loader'].includes(execArgv[index - 1] ?? '') ? argument : undefined;
    return value !== undefined && (value === 'tsx' || value.startsWith('tsx/') || /[/\\]tsx[/\\]/.test(value));
  });
}

/** Parent options that make no sense in a worker (or that Worker refuses); `true`: takes the next argument as its value. */
const NOT_FOR_WORKERS: ReadonlyMap<string, boolean> = new Map([
  ['-e', true],
  ['--eval', true],
  ['-p', true],
  ['--print', true],
  ['--input-type', true],
  ['-c', false],
  ['--check', false],
  ['-i', false],
  ['--interactive', false],
  ['--test', false],
  ['--watch', false],
  ['--watch-path', true],
]);

function inheritedExecArgv(): string[] {
  const kept: string[] = [];
  const parent = process.execArgv;
  for (let index = 0; index < parent.length; index += 1) {
    const argument = parent[index] as string;
    const name = argument.includes('=') ? argument.slice(0, argument.indexOf('=')) : argument;
    if (/^--(inspect|debug|test-|watch-|experimental-test)/.test(name)) continue;
    const takesValue = NOT_FOR_WORKERS.get(name);
    if (takesValue === undefined) {
      kept.push(argument);
      continue;
    }
    if (takesValue && name === argument) index += 1; // skip "--flag value"
  }
  return kept;
}

/**
 * Node options for a worker: the parent's (vitest's --conditions, --require hooks, ...) minus the
 * inspector and eval/test/watch modes, plus tsx's loader when the entry is TypeScript and the parent did
 * not import tsx itself (vitest transforms TS in-process, so its workers would otherwise not resolve
 * `../ckks-session.js`).
 */
export function workerExecArgv(entry: URL): string[] {
  const inherited = inheritedExecArgv();
  if (!entry.pathname.endsWith('.ts') || importsTsx(inherited)) return inherited;
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...inherited, '--import', tsxLoader];
}

/**
 * Resolves once a worker says it is ready (`readiness` returns true; an Error rejects; anything else is
 * ignored); rejects if it fails, exits or takes too long. Shared by every worker pool.
 */
export function awaitWorkerReady<Message>(worker: Worker, timeoutMs: number, pool: string, readiness: (message: Message) => true | Error | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${pool}: a worker did not start within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: Message): void => {
      const verdict = readiness(message);
      if (verdict === true) finish(undefined);
      else if (verdict instanceof Error) finish(verdict);
    };
    const onError = (error: Error): void => finish(new Error(`${pool}: a worker failed to start: ${error.message}`, { cause: error }));
    const onExit = (code: number): void => finish(new Error(`${pool}: a worker exited during start-up (code ${code})`));
    function finish(error: Error | undefined): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.once('exit', onExit);
  });
}

/** Resolves once the worker has loaded SEAL and its keys; rejects if it fails, exits or takes too long. */
export function untilReady(worker: Worker, timeoutMs: number): Promise<void> {
  return awaitWorkerReady<WorkerResponse>(worker, timeoutMs, 'CkksWorkerPool', (message) =>
    message.type === 'ready' ? true : message.type === 'init-failed' ? deserializeError(message.error, 'CkksWorkerPool: ') : undefined,
  );
}
