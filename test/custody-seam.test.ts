import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The round path of both nodes must not branch on the key-custody mode: what differs per mode lives
// in coordinator/custody/ and participant/custody/, one file per mode, chosen by one factory each.
const ROOT = join(import.meta.dirname, '..');
const ROUND_PATH = [
  'coordinator/coordinator.ts',
  'coordinator/run-round.ts',
  'coordinator/update-intake.ts',
  'coordinator/participant-roster.ts',
  'coordinator/published-aggregates.ts',
  'participant/participant.ts',
  'participant/join-job.ts',
  'participant/run-local-round.ts',
  'participant/upload-update.ts',
  'participant/apply-global-model.ts',
  'participant/finish-job.ts',
];
const MODES = ['none', 'single-key', 'threshold'];

describe('key custody is a seam', () => {
  it('no file on either node\'s round path compares the custody mode or names a mode', async () => {
    for (const file of ROUND_PATH) {
      const text = await readFile(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/custody\.mode\s*[!=]==|[!=]==\s*[\w.]*custody\.mode|case 'threshold'|case 'single-key'/);
      // ('none' also reads as a word in messages: only a comparison with it counts.)
      for (const mode of ['single-key', 'threshold']) expect(text.includes(`'${mode}'`), `${file} names the '${mode}' custody mode`).toBe(false);
      expect(text, file).not.toMatch(/[!=]==\s*'none'|'none'\s*[!=]==/);
    }
  });

  it('each node has one file per mode and one factory line per mode', async () => {
    for (const [folder, factory] of [
      ['coordinator/custody', 'create-coordinator-custody.ts'],
      ['participant/custody', 'create-participant-custody.ts'],
    ] as const) {
      const source = await readFile(join(ROOT, folder, factory), 'utf8');
      const cases = [...source.matchAll(/case '([a-z-]+)':/g)].map((match) => match[1]);
      expect(cases.sort(), factory).toEqual([...MODES].sort());
      const files = await readdir(join(ROOT, folder));
      expect(files.length, folder).toBeGreaterThanOrEqual(MODES.length + 2);
    }
  });
});
