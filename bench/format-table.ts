import type { Figure } from './figures.js';

export type Alignment = 'left' | 'right';

export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** One per column; the first column defaults to left, the others to right. */
  readonly align?: readonly Alignment[];
  /** Printed under the table, one line each. */
  readonly notes?: readonly string[];
}

/** A plain-text table with a title, a header rule and aligned columns. */
export function formatTable(table: Table): string {
  const columnCount = Math.max(table.headers.length, ...table.rows.map((row) => row.length));
  const widths = Array.from({ length: columnCount }, (_, column) =>
    Math.max(table.headers[column]?.length ?? 0, ...table.rows.map((row) => row[column]?.length ?? 0)),
  );
  const alignOf = (column: number): Alignment => table.align?.[column] ?? (column === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        return alignOf(column) === 'left' ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const header = line(table.headers);
  const rule = '-'.repeat(Math.max(header.length, table.title.length));
  return [table.title, rule, header, rule, ...table.rows.map(line), ...(table.notes ?? []).map((note) => `  ${note}`)].join('\n');
}

/** 1234567 -> "1.23 M", 0.00123 -> "0.00123": three significant digits with an SI suffix. */
export function formatQuantity(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const units: [number, string][] = [
    [1e9, ' G'],
    [1e6, ' M'],
    [1e3, ' k'],
  ];
  for (const [scale, suffix] of units) if (magnitude >= scale) return `${(value / scale).toPrecision(3)}${suffix}`;
  if (magnitude === 0) return '0';
  return value.toPrecision(3);
}

export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(1)} ms`;
  return `${(seconds * 1e6).toFixed(1)} µs`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** "×12.3", "×1.23 k" for large ratios, "×5.01e-5" for tiny ones. */
export function formatRatio(ratio: number): string {
  if (ratio >= 100) return `×${formatQuantity(ratio)}`;
  if (ratio > 0 && ratio < 0.01) return `×${ratio.toExponential(2)}`;
  return `×${ratio.toPrecision(3)}`;
}

/** A figure as "median [min–max]" (just the median for one sample). */
export function formatFigure(value: Figure, format: (value: number) => string): string {
  const text = format(value.median);
  if (value.samples.length < 2) return text;
  return `${text} [${format(Math.min(...value.samples))}–${format(Math.max(...value.samples))}]`;
}
