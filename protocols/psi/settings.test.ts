import { describe, expect, it } from 'vitest';
import { normalizeId, prepareOwnIds, psiSettingsSchema } from './settings.js';

const defaults = psiSettingsSchema.parse({}).normalisation;

describe('PSI settings and id normalisation', () => {
  it('defaults to trimming only and rejects unknown keys', () => {
    expect(psiSettingsSchema.parse({})).toEqual({ normalisation: { trim: true, caseFold: false, removeCharacters: '', digitsOnly: false } });
    expect(psiSettingsSchema.parse({ normalisation: { caseFold: true }, padTo: 10 }).normalisation.caseFold).toBe(true);
    expect(() => psiSettingsSchema.parse({ padding: 10 })).toThrow();
    expect(() => psiSettingsSchema.parse({ normalisation: { lower: true } })).toThrow();
    expect(() => psiSettingsSchema.parse({ padTo: 0 })).toThrow();
    expect(() => psiSettingsSchema.parse({ padTo: 1.5 })).toThrow();
  });

  it('normalises as configured, NFC first', () => {
    expect(normalizeId('  AB-12 ', defaults)).toBe('AB-12');
    expect(normalizeId('  AB-12 ', { ...defaults, trim: false })).toBe('  AB-12 ');
    expect(normalizeId('AB-12', { ...defaults, caseFold: true })).toBe('ab-12');
    expect(normalizeId('+41 (0)79-123.45', { ...defaults, removeCharacters: ' -.()' })).toBe('+4107912345');
    expect(normalizeId('CH-756.1234.5678.97', { ...defaults, digitsOnly: true })).toBe('756123456789' + '7');
    expect(normalizeId('e\u0301', defaults)).toBe('\u00e9');
    expect(normalizeId('   ', defaults)).toBeNull();
    expect(normalizeId('--', { ...defaults, removeCharacters: '-' })).toBeNull();
  });

  it('keeps row indices, counts empty ids and names the rows of a duplicate', () => {
    const prepared = prepareOwnIds(['a', ' ', 'b', '', 'c'], defaults);
    expect(prepared.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(prepared.rowIndex)).toEqual([0, 2, 4]);
    expect(prepared.droppedEmpty).toBe(2);
    expect(() => prepareOwnIds(['x', 'a', ' A', 'a'], { ...defaults, caseFold: true })).toThrow(/rows 1 and 2 have the same id/);
  });
});
