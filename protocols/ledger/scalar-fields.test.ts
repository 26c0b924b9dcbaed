import { describe, expect, it } from 'vitest';
import { scalarFields } from './scalar-fields.js';

describe('scalarFields', () => {
  it('flattens nested messages and leaves out byte payloads and arrays', () => {
    const message = { participantId: 'bank-a', round: 3, final: true, chunk: { index: 1, data: new Uint8Array(4) }, ciphertext: Buffer.from([1]), list: [1, 2], absent: null };
    expect(scalarFields(message)).toEqual({ participantId: 'bank-a', round: 3, final: true, 'chunk.index': 1 });
  });

  it('keeps strings whole unless a maximum length is given', () => {
    const message = { reason: 'x'.repeat(300) };
    expect(scalarFields(message).reason).toHaveLength(300);
    expect(scalarFields(message, 200).reason).toHaveLength(200);
  });
});
