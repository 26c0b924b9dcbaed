import { describe, expect, it } from 'vitest';
import { formatCoordinatorProgress } from './format-coordinator-progress.js';

describe('formatCoordinatorProgress', () => {
  it('shows rounds done and each participant state, with upload chunks while uploading', () => {
    const line = formatCoordinatorProgress({
      status: 'running',
      trainingRoundsCompleted: 2,
      roundsPlanned: 5,
      participants: [
        { id: 'bank', state: 'uploading', connected: true, lastSeenUnixMs: 1, sampleCount: 10, upload: { chunksReceived: 3, chunkCount: 8 }, failure: null },
        { id: 'ecommerce', state: 'submitted', connected: true, lastSeenUnixMs: 1, sampleCount: 10, upload: null, failure: null },
        { id: 'government', state: 'waiting', connected: false, lastSeenUnixMs: null, sampleCount: null, upload: null, failure: null },
      ],
    });
    expect(line).toBe('running · 2/5 training rounds · bank uploading 3/8, ecommerce submitted, government waiting');
  });
});
