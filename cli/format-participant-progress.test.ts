import { describe, expect, it } from 'vitest';
import { formatParticipantProgress } from './format-participant-progress.js';

describe('formatParticipantProgress', () => {
  it('describes each kind of progress', () => {
    expect(formatParticipantProgress({ type: 'round-started', round: 0, kind: 'statistics', rounds: 5 })).toBe('round 0 (statistics): encrypting column sums');
    expect(formatParticipantProgress({ type: 'round-started', round: 2, kind: 'training', rounds: 5 })).toBe('round 2/5: training locally');
    expect(formatParticipantProgress({ type: 'training-epoch', round: 2, epoch: 1, epochs: 3 })).toBe('round 2: local epoch 1/3');
    expect(formatParticipantProgress({ type: 'upload', round: 2, bytesSent: 512 * 1024, bytesTotal: 2048 * 1024 })).toBe(
      'round 2: uploading encrypted update 512.0 KiB / 2.0 MiB (25 %)',
    );
    expect(formatParticipantProgress({ type: 'round-applied', round: 2 })).toBe('round 2: new global model in force');
  });
});
