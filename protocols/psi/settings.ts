/**
 * PSI settings (part of the job) and id normalisation: every party must normalise identically, or
 * equal customers would hash differently and silently drop out of the intersection.
 */
import { z } from 'zod';
import { DatasetError } from '../errors.js';

export const psiNormalisationSchema = z
  .object({
    trim: z.boolean().default(true),
    caseFold: z.boolean().default(false),
    /** Characters deleted anywhere in the id, e.g. " -." for formatted phone or tax numbers. */
    removeCharacters: z.string().default(''),
    /** Keep only the digits 0-9 (after the other steps). */
    digitsOnly: z.boolean().default(false),
  })
  .strict();

export const psiSettingsSchema = z
  .object({
    normalisation: psiNormalisationSchema.default({ trim: true, caseFold: false, removeCharacters: '', digitsOnly: false }),
    /** Pad each list with random elements up to this many, hiding the set size from peers and coordinator. */
    padTo: z.number().int().positive().optional(),
  })
  .strict();

export type PsiNormalisation = z.infer<typeof psiNormalisationSchema>;
export type PsiSettings = z.infer<typeof psiSettingsSchema>;

/** The normalised id, or null when nothing is left. NFC first, so equal text has equal bytes. */
export function normalizeId(raw: string, normalisation: PsiNormalisation): string | null {
  let id = raw.normalize('NFC');
  if (normalisation.trim) id = id.trim();
  if (normalisation.caseFold) id = id.toLowerCase();
  if (normalisation.removeCharacters.length > 0) {
    const removed = new Set(normalisation.removeCharacters);
    id = Array.from(id).filter((character) => !removed.has(character)).join('');
  }
  if (normalisation.digitsOnly) id = id.replace(/[^0-9]/g, '');
  return id.length === 0 ? null : id;
}

export interface PreparedIds {
  /** Normalised ids, in row order, empty ones left out. */
  readonly ids: readonly string[];
  /** rowIndex[i]: the row (index into rawIds) of ids[i]. */
  readonly rowIndex: Int32Array;
  /** How many rows were empty after normalisation (only the count: which rows is local business). */
  readonly droppedEmpty: number;
}

/** Normalises every id; refuses (DatasetError) two rows with one normalised id, naming the first two such rows. */
export function prepareOwnIds(rawIds: readonly string[], normalisation: PsiNormalisation): PreparedIds {
  const ids: string[] = [];
  const rows: number[] = [];
  const firstRow = new Map<string, number>();
  let droppedEmpty = 0;
  rawIds.forEach((raw, row) => {
    const id = normalizeId(raw, normalisation);
    if (id === null) {
      droppedEmpty += 1;
      return;
    }
    const earlier = firstRow.get(id);
    // Two rows with one id cannot both be aligned to one customer: the data owner must resolve it.
    if (earlier !== undefined) throw new DatasetError(`rows ${earlier} and ${row} have the same id after normalisation`);
    firstRow.set(id, row);
    ids.push(id);
    rows.push(row);
  });
  return { ids, rowIndex: Int32Array.from(rows), droppedEmpty };
}
