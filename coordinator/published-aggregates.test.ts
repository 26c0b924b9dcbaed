import { describe, expect, it } from 'vitest';
import { PublishedAggregates } from './published-aggregates.js';

describe('PublishedAggregates.lastDecryptedFetchedBy', () => {
  it('tells when every node has fetched the sum published last (what the end of a job waits for)', () => {
    const published = new PublishedAggregates(4);
    expect(published.lastDecryptedFetchedBy(['bank', 'shop'])).toBe(true); // nothing published: nothing to wait for
    published.publishDecrypted('training', 2, Float64Array.from([1, 2, 3]));
    published.publishDecrypted('evaluation', 2, Float64Array.from([4, 5]));
    const fetch = (participantId: string, kind: 'training' | 'evaluation') => published.decryptedFor({ jobId: 'j', participantId, round: 2, kind });
    expect(fetch('bank', 'training').success).toBe(true);
    expect(published.lastDecryptedFetchedBy(['bank'])).toBe(false); // an earlier sum does not count
    expect(fetch('bank', 'evaluation').success).toBe(true);
    expect(published.lastDecryptedFetchedBy(['bank'])).toBe(true);
    expect(published.lastDecryptedFetchedBy(['bank', 'shop'])).toBe(false);
    expect(fetch('shop', 'evaluation').success).toBe(true);
    expect(published.lastDecryptedFetchedBy(['bank', 'shop'])).toBe(true);
  });
});
