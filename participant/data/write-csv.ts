/**
 * CSV text that parseCsvText reads back to the same cells: a cell is quoted when it holds the
 * delimiter, a quote, a line break or surrounding spaces, and the sole cell of a row is quoted when
 * empty (an unquoted empty line would read as a blank line and vanish). Ends with a newline.
 */
export function formatCsv(header: string[], rows: string[][], delimiter = ';'): string {
  const formatRow = (cells: string[]): string =>
    cells
      .map((cell) => {
        const needsQuotes =
          cell.includes(delimiter) ||
          /["\r\n]/.test(cell) ||
          cell !== cell.trim() ||
          (cell === '' && cells.length === 1);
        return needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell;
      })
      .join(delimiter);
  return [header, ...rows].map(formatRow).join('\n') + '\n';
}
