import type { ParticipantProgress } from '../participant/participant.js';
import { formatBytes } from './format-bytes.js';

/** One line of a participant's progress: round, local epoch or upload share. */
export function formatParticipantProgress(progress: ParticipantProgress): string {
  switch (progress.type) {
    case 'round-started':
      return progress.kind === 'statistics'
        ? 'round 0 (statistics): encrypting column sums'
        : `round ${progress.round}/${progress.rounds}: training locally`;
    case 'training-epoch':
      return `round ${progress.round}: local epoch ${progress.epoch}/${progress.epochs}`;
    case 'upload': {
      const percent = progress.bytesTotal > 0 ? Math.floor((100 * progress.bytesSent) / progress.bytesTotal) : 100;
      return `round ${progress.round}: uploading encrypted update ${formatBytes(progress.bytesSent)} / ${formatBytes(progress.bytesTotal)} (${percent} %)`;
    }
    case 'round-applied':
      return `round ${progress.round}: new global model in force`;
  }
}
