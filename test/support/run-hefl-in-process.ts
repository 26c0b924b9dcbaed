import { vi } from 'vitest';
import { main } from '../../cli/hefl.js';

/**
 * Runs `hefl ARGS` in this process through the CLI's main(), capturing what it prints: the same
 * code path as the command without a process start (a tsx start costs seconds per call). Commands that
 * serve or spawn belong in a real process (support/run-hefl.ts).
 */
export async function runHeflInProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await main([...args]), stdout, stderr };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}
