import { describe, expect, it } from 'vitest';
import { decodeCanaryShare, decodeShamirParcel, encodeCanaryShare, encodeShamirParcel } from './tofn-key-setup-values.js';

describe('t-of-N key-setup values: canonical JSON, nothing riding along', () => {
  it('round-trips a Shamir parcel and a canary share', () => {
    const parcel = { to: 'p2', envelope: new Uint8Array([1, 2, 3, 4]), canaries: [{ committee: ['p1', 'p2'], ciphertext: new Uint8Array([9]) }] };
    const decoded = decodeShamirParcel(encodeShamirParcel(parcel));
    expect(decoded.success && decoded.data).toEqual(parcel);
    const share = { committee: ['p1', 'p2'], c1Sha256: 'c'.repeat(64), share: new Uint8Array([5, 6]) };
    const canary = decodeCanaryShare(encodeCanaryShare(share));
    expect(canary.success && canary.data).toEqual(share);
  });

  it('refuses extra fields, spacing, non-canonical base64 and bad ids', () => {
    const text = (value: unknown) => new Uint8Array(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
    expect(decodeShamirParcel(text({ to: 'p2', envelope: 'AQID', canaries: [], note: 'x' }))).toMatchObject({ success: false, reason: expect.stringMatching(/note|unrecognized/i) });
    expect(decodeShamirParcel(text('{"to":"p2", "envelope":"AQID","canaries":[]}'))).toMatchObject({ success: false, reason: expect.stringMatching(/canonical/) });
    // "AQI=" and "AQJ=" decode to the same bytes; only the canonical one is accepted.
    expect(decodeShamirParcel(text({ to: 'p2', envelope: 'AQJ=', canaries: [] }))).toMatchObject({ success: false, reason: expect.stringMatching(/canonical base64/) });
    expect(decodeShamirParcel(text({ to: 'P2!', envelope: 'AQI=', canaries: [] })).success).toBe(false);
    expect(decodeCanaryShare(text({ committee: ['p1'], c1Sha256: 'c'.repeat(64), share: 'AQI=' })).success).toBe(false);
  });
});
