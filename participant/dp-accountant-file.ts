import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../protocols/errors.js';
import type { AccountantState } from '../protocols/privacy/rdp-accountant.js';
import { writeFileAtomically } from '../protocols/state/write-file-atomically.js';

/**
 * This node's RDP accountant on its own disk, written (atomically, fsynced) after every DP-SGD round
 * and before that round's update leaves: a node that crashes between training and applying a round
 * restarts with the ε it had really spent, not the ε of its last saved model. Beside the state file
 * (`dp-accountant.json`), removed with it when the job finishes.
 */
const fileSchema = z.strictObject({
  format: z.literal('hefl-dp-accountant/1'),
  jobSha256: z.string().regex(/^[0-9a-f]{64}$/),
  accountant: z.strictObject({
    orders: z.array(z.number().gt(1)).min(1),
    conversion: z.enum(['balle2020', 'classic']),
    history: z.array(z.strictObject({ noiseMultiplier: z.number().min(0), sampleRate: z.number().gt(0).max(1), steps: z.number().int().min(0) })),
  }),
});

export function accountantFileBeside(stateFile: string): string {
  return join(dirname(stateFile), 'dp-accountant.json');
}

export async function saveAccountantFile(path: string, jobSha256: string, accountant: AccountantState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomically(path, `${JSON.stringify({ format: 'hefl-dp-accountant/1', jobSha256, accountant })}\n`);
}

/** The accountant saved for this job, or undefined (no file, or another job's); a damaged file is an error naming it. */
export async function loadAccountantFile(path: string, jobSha256: string): Promise<AccountantState | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read this node's privacy accountant (${error.message})`);
  });
  if (text === undefined) return undefined;
  let parsed;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ConfigError(`${path}: this node's privacy accountant is damaged (${(error as Error).message.slice(0, 200)}); it records ε already spent, so it is not ignored`);
  }
  return parsed.jobSha256 === jobSha256 ? parsed.accountant : undefined;
}
