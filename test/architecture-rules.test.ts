import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scaledMs } from './support/time-scale.js';

const ROOT = join(import.meta.dirname, '..');
const SOURCE_FOLDERS = ['bench', 'cli', 'coordinator', 'examples', 'participant', 'proto', 'protocols', 'provisioning', 'reporting', 'scripts', 'test'];

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, folder), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return path === join('proto', 'generated') ? [] : sourceFiles(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

describe('architecture rules (README, "Architecture")', () => {
  it('no source file outside proto/generated/ is over 400 lines', async () => {
    const files = (await Promise.all(SOURCE_FOLDERS.map(sourceFiles))).flat();
    expect(files.length).toBeGreaterThan(100);
    const long: string[] = [];
    for (const file of files) {
      const lines = (await readFile(join(ROOT, file), 'utf8')).split('\n').length - 1;
      if (lines > 400) long.push(`${file}: ${lines} lines`);
    }
    expect(long).toEqual([]);
  });

  it('no import circle between files, and no folder cycle inside protocols/ (scripts/check-import-cycles.ts)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'check-import-cycles.ts')], { cwd: ROOT });
    expect(stdout).toMatch(/no circles/);
    expect(stdout).not.toMatch(/circle:/i);
  }, scaledMs(30_000));
});
