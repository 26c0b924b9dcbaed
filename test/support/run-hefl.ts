import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { scaledMs } from './time-scale.js';

export const HEFL_BIN = fileURLToPath(new URL('../../bin/hefl.js', import.meta.url));

export interface HeflRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `hefl ARGS` as its own process; resolves once it has exited and its output is all read (killed after `timeoutMs`). */
export function startHefl(args: readonly string[], timeoutMs = scaledMs(60_000)): { child: ChildProcess; done: Promise<HeflRun> } {
  const child = spawn(process.execPath, [HEFL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<HeflRun>((resolve) => {
    // 'close', not 'exit': stdout and stderr may still hold output when the process exits.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

export function runHefl(args: readonly string[], timeoutMs = scaledMs(60_000)): Promise<HeflRun> {
  return startHefl(args, timeoutMs).done;
}

/**
 * The address `hefl coordinator --ready-file PATH` writes once listening. Waits on the file, not a
 * clock: rejects only when the coordinator ends first (its kill timer is the deadline).
 */
export async function waitForReadyFile(path: string, coordinator: { done: Promise<HeflRun> }): Promise<string> {
  let ended: HeflRun | undefined;
  void coordinator.done.then((run) => (ended = run));
  for (;;) {
    const address = (await readFile(path, 'utf8').catch(() => '')).trim();
    if (address) return address;
    if (ended) throw new Error(`the coordinator ended (code ${ended.code}) before listening: ${ended.stderr.slice(-2_000)}`);
    await Promise.race([coordinator.done, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

/** No JavaScript stack frames: errors reach people as one clear line. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
