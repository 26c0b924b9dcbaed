import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { PsiAlignment } from '../../protocols/psi/psi-party.js';
import { writeOwnerOnlyFile } from '../../protocols/state/write-owner-only-file.js';

const storedAlignmentSchema = z.strictObject({
  format: z.literal('hefl-vertical-alignment/1'),
  jobId: z.string(),
  intersectionSize: z.number().int().min(0),
  /** Int32 little-endian row indices, base64. */
  rowsInCommonOrder: z.string(),
});

/** The intersection's result, kept so a restarted party does not run PSI again (its scalar is gone). */
export async function saveAlignment(path: string, jobId: string, alignment: PsiAlignment): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const rows = Buffer.from(alignment.rowsInCommonOrder.buffer, alignment.rowsInCommonOrder.byteOffset, alignment.rowsInCommonOrder.byteLength);
  await writeOwnerOnlyFile(path, JSON.stringify({ format: 'hefl-vertical-alignment/1', jobId, intersectionSize: alignment.intersectionSize, rowsInCommonOrder: rows.toString('base64') }), 'replace-atomically');
}

export async function loadAlignment(path: string, jobId: string): Promise<PsiAlignment | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const stored = storedAlignmentSchema.parse(JSON.parse(text));
  if (stored.jobId !== jobId) return undefined;
  const bytes = Buffer.from(stored.rowsInCommonOrder, 'base64');
  const rowsInCommonOrder = new Int32Array(Uint8Array.from(bytes).buffer);
  if (rowsInCommonOrder.length !== stored.intersectionSize) throw new Error(`${path}: the stored alignment is damaged`);
  return { intersectionSize: stored.intersectionSize, rowsInCommonOrder };
}
