import { describe, expect, it } from 'vitest';
import { coordinatorMarks, egressBytesPerEpoch } from './vertical-job-run.js';

const line = (value: object): string => JSON.stringify(value);

describe('reading a vertical job for the bench', () => {
  it("takes the PSI end and every epoch's end, with the coordinator's running byte totals, from its log", () => {
    const log = [
      line({ time: 1_000, msg: 'vertical coordinator listening' }),
      line({ time: 5_000, msg: 'private set intersection complete', intersectionSize: 9, bytesReceived: 100, bytesSent: 200 }),
      'not json',
      line({ time: 9_000, msg: 'epoch finished', epoch: 0, bytesReceived: 150, bytesSent: 400 }),
      line({ time: 12_000, msg: 'epoch finished', epoch: 1, bytesReceived: 190, bytesSent: 700 }),
    ].join('\n');
    const { psi, epochs } = coordinatorMarks(log);
    expect(psi).toEqual({ timeMs: 5_000, bytesReceived: 100, bytesSent: 200 });
    expect(epochs.map((mark) => mark.timeMs)).toEqual([9_000, 12_000]);
  });

  it('refuses a coordinator log without byte totals (an older coordinator)', () => {
    expect(() => coordinatorMarks(line({ time: 1, msg: 'private set intersection complete', intersectionSize: 3 }))).toThrow(/no byte totals/);
  });

  it("attributes posts to their address's epoch and fetch requests to the epoch whose window holds them", () => {
    const at = (ms: number): string => new Date(ms).toISOString();
    const ledger = [
      line({ time: at(4_000), messageType: 'PostVertical', size: 1_000, metadataFields: { address: 'psi-blinded/0/0/bank/1/bank/' } }),
      line({ time: at(4_500), messageType: 'FetchVertical', size: 7 }),
      line({ time: at(6_000), messageType: 'PostVertical', size: 10, metadataFields: { address: 'forward-part/0/0//0/bank/' } }),
      line({ time: at(7_000), messageType: 'FetchVertical', size: 3 }),
      // Posted before the coordinator logged epoch 0's end, but addressed to epoch 1.
      line({ time: at(8_900), messageType: 'PostVertical', size: 20, metadataFields: { address: 'forward-part/1/0//0/bank/' } }),
      line({ time: at(10_000), messageType: 'FetchVertical', size: 5 }),
      line({ time: at(11_000), messageType: 'PostVertical', size: 1, metadataFields: { address: 'epoch-metrics/1/0//0/bank/' } }),
      line({ time: at(12_500), messageType: 'PostVertical', size: 50, metadataFields: { address: 'done/0/0//0/bank/' } }),
    ].join('\n');
    expect(egressBytesPerEpoch(ledger, [5_000, 9_000, 12_000])).toEqual([13, 26]);
  });
});
