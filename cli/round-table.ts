import type { RoundSummary } from '../coordinator/coordinator.js';

const COLUMNS = ['round', 'kind', 'participants', 'mean local loss', 'held-out AUC', 'bytes received', 'seconds'] as const;
const WIDTHS = [5, 10, 12, 15, 12, 14, 7];

function cell(text: string, index: number): string {
  return text.padStart(WIDTHS[index] ?? 10);
}

export function roundTableHeader(): string {
  const header = COLUMNS.map((name, index) => cell(name, index)).join('  ');
  return `${header}\n${'-'.repeat(header.length)}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** One line of the live per-round table the coordinator prints. */
export function roundTableRow(summary: RoundSummary): string {
  return [
    String(summary.round),
    summary.kind,
    String(summary.contributors.length),
    summary.meanLocalLoss === null ? '-' : summary.meanLocalLoss.toFixed(4),
    summary.heldOutAuc === null ? '-' : summary.heldOutAuc.toFixed(4),
    formatBytes(summary.bytesReceived),
    summary.seconds.toFixed(2),
  ]
    .map((text, index) => cell(text, index))
    .join('  ');
}
