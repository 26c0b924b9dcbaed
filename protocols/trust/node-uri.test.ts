import { describe, expect, it } from 'vitest';
import { formatNodeUri, parseNodeUri } from './node-uri.js';

describe('HEFL node URIs', () => {
  it('round-trips federation, role and id', () => {
    const uri = formatNodeUri({ federationId: 'banks', role: 'participant', nodeId: 'bank-1' });
    expect(uri).toBe('hefl://banks/participant/bank-1');
    expect(parseNodeUri(uri)).toEqual({ federationId: 'banks', role: 'participant', nodeId: 'bank-1' });
  });

  it('rejects unknown roles, extra path segments and ids outside the id alphabet', () => {
    expect(parseNodeUri('hefl://banks/admin/bank')).toBeUndefined();
    expect(parseNodeUri('hefl://banks/participant/bank/extra')).toBeUndefined();
    expect(parseNodeUri('https://banks/participant/bank')).toBeUndefined();
    expect(parseNodeUri('hefl://banks/participant/Bank')).toBeUndefined();
    expect(() => formatNodeUri({ federationId: 'banks', role: 'participant', nodeId: '../ca' })).toThrow(/not a valid HEFL node URI/);
  });
});
