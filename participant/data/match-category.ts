import { parseFiniteNumber } from './parse-finite-number.js';

/**
 * Finds a CSV cell's index in a column's declared categories: by spelling, or, when both spell a
 * number, by numeric value (`2`, `2.0` and `2.00` all match the category `2`; `2.5` does not), so a
 * pandas export that writes integers as floats still matches. Spelling wins; among categories with
 * the same value the first declared wins.
 */
export function categoryMatcher(categories: readonly string[]): (cell: string) => number | undefined {
  const bySpelling = new Map<string, number>();
  const byValue = new Map<number, number>();
  for (const [index, category] of categories.entries()) {
    if (!bySpelling.has(category)) bySpelling.set(category, index);
    const value = parseFiniteNumber(category);
    // -0 and 0 are one key in a Map, as they should be here.
    if (value !== undefined && !byValue.has(value)) byValue.set(value, index);
  }
  return (cell) => {
    const exact = bySpelling.get(cell);
    if (exact !== undefined || byValue.size === 0) return exact;
    const value = parseFiniteNumber(cell);
    return value === undefined ? undefined : byValue.get(value);
  };
}
