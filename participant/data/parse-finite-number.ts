// Plain decimal notation only: Number() alone would also accept "", " ", "0x1f" and "Infinity".
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a CSV cell spells in decimal (surrounding spaces allowed), or undefined. */
export function parseFiniteNumber(cell: string): number | undefined {
  const trimmed = cell.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
