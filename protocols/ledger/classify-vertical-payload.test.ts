import { describe, expect, it } from 'vitest';
import { ckksParametersSchema, THRESHOLD_DEFAULT_CKKS } from '../ckks/ckks-parameters.js';
import { encodeBlobList } from '../vertical/blob-list.js';
import { verticalAddress, VERTICAL_KINDS, type VerticalKind } from '../vertical/vertical-address.js';
import type { VerticalMessage } from '../vertical/vertical-wire.js';
import { classifyVerticalPayload, type VerticalPayloadContext } from './classify-vertical-payload.js';

// The classifier's own decisions (sizes, sealing, metrics, kinds, the plaintext switch). The judges it
// is handed (ciphertext probe, PSI element checks, c1 loader, share checks) are the context: here they
// recognise marker bytes, so each decision is visible; participant/vertical/vertical-egress-guard.test.ts
// runs the same classifier with the real judges on real ciphertexts, c1s, shares and PSI lists.
const CIPHERTEXT = 0xc7;
const C1 = 0xc1;
const SHARE = 0x5e;
const context: VerticalPayloadContext = {
  parameters: ckksParametersSchema.parse(THRESHOLD_DEFAULT_CKKS),
  isCiphertext: (bytes) => bytes.length > 0 && bytes.every((byte) => byte === CIPHERTEXT),
  blindedListProblem: (bytes) => (bytes.length % 32 === 0 ? undefined : 'not whole elements'),
  productC1Problem: (bytes) => (bytes.length > 0 && bytes.every((byte) => byte === C1) ? undefined : 'is not a c1 polynomial'),
  shareProblem: (bytes) => (bytes.length > 0 && bytes.every((byte) => byte === SHARE) ? undefined : 'is not a share'),
  sealedOverheadBytes: 49,
  allowPlaintext: false,
  maxFeaturesPerParty: 3,
};
const filled = (length: number, byte: number): Uint8Array => new Uint8Array(length).fill(byte);
const message = (kind: VerticalKind, payload: Uint8Array, fields: Parameters<typeof verticalAddress>[1] = {}): VerticalMessage => ({
  address: verticalAddress(kind, { sender: 'telco', ...fields }),
  payload,
  signature: new Uint8Array(64),
});

describe('classifyVerticalPayload', () => {
  it('has a verdict for every kind (the switch is exhaustive)', () => {
    for (const kind of VERTICAL_KINDS) expect(classifyVerticalPayload(message(kind, new Uint8Array(0)), context)).toBeDefined();
  });

  it('forward and score parts: ciphertexts pass; plain values only when custody none is allowed, then as "plaintext"', () => {
    expect(classifyVerticalPayload(message('forward-part', encodeBlobList([filled(64, CIPHERTEXT), filled(8, CIPHERTEXT)])), context)).toMatchObject({ classification: 'ciphertext', fields: { ciphertexts: 2 } });
    const floats = encodeBlobList([new Uint8Array(Float64Array.from([1, 2]).buffer)]);
    expect(classifyVerticalPayload(message('forward-part', floats), context)).toEqual({ refused: 'forward-part: a payload item is not a ciphertext under the federation parameters' });
    expect(classifyVerticalPayload(message('score-part', floats), { ...context, allowPlaintext: true })).toMatchObject({ classification: 'plaintext' });
    // One ciphertext and one plain item: not a ciphertext payload, and refused without the switch.
    expect(classifyVerticalPayload(message('forward-part', encodeBlobList([filled(8, CIPHERTEXT), filled(8, 1)])), context)).toHaveProperty('refused');
    expect(classifyVerticalPayload(message('forward-part', encodeBlobList([filled(7, 1)])), { ...context, allowPlaintext: true })).toHaveProperty('refused');
    expect(classifyVerticalPayload(message('forward-part', filled(10, CIPHERTEXT)), context)).toEqual({ refused: expect.stringMatching(/forward-part: /) });
  });

  it('gradient products: each item must be a c1, at most maxFeaturesPerParty of them', () => {
    expect(classifyVerticalPayload(message('gradient-products', encodeBlobList([filled(10, C1), filled(10, C1), filled(10, C1)]), { owner: 'telco' }), context)).toMatchObject({ classification: 'ciphertext', fields: { products: 3 } });
    expect(classifyVerticalPayload(message('gradient-products', encodeBlobList([filled(10, C1), filled(10, CIPHERTEXT)]), { owner: 'telco' }), context)).toEqual({ refused: 'gradient product 1: is not a c1 polynomial' });
    expect(classifyVerticalPayload(message('gradient-products', encodeBlobList(Array.from({ length: 4 }, () => filled(10, C1))), { owner: 'telco' }), context)).toEqual({ refused: 'gradient-products: 4 items, at most 3 allowed' });
  });

  it('shares: only sealed, with judged content, at exactly the content size plus the box overhead', () => {
    const inner = filled(32, SHARE);
    for (const kind of ['coefficient-shares', 'score-shares'] as const) {
      const at = { owner: 'bank', recipient: 'bank' };
      expect(classifyVerticalPayload(message(kind, filled(32 + 49, 0xab), at), context, inner)).toMatchObject({ classification: 'ciphertext', fields: { sealedTo: 'bank' } });
      expect(classifyVerticalPayload(message(kind, filled(32 + 49, 0xab), at), context)).toEqual({ refused: `${kind} may leave only sealed, with their content judged first` });
      expect(classifyVerticalPayload(message(kind, filled(32 + 50, 0xab), at), context, inner)).toEqual({ refused: `${kind}: the sealed box is not the size of its judged content` });
      expect(classifyVerticalPayload(message(kind, filled(32 + 48, 0xab), at), context, inner)).toEqual({ refused: `${kind}: the sealed box is not the size of its judged content` });
      expect(classifyVerticalPayload(message(kind, filled(32 + 49, 0xab), at), context, filled(32, 1))).toEqual({ refused: `${kind}: is not a share` });
    }
  });

  it('epoch metrics: exactly the three fields, finite numbers, at most 256 bytes', () => {
    const json = (text: string): Uint8Array => Buffer.from(text);
    expect(classifyVerticalPayload(message('epoch-metrics', json('{"validationAuc":0.7,"validationLoss":0.5,"validationRows":10}')), context)).toEqual({
      classification: 'metadata',
      fields: { address: 'epoch-metrics/0/0//0/telco/', kind: 'epoch-metrics', payloadBytes: 62, validationAuc: 0.7, validationLoss: 0.5, validationRows: 10 },
    });
    for (const bad of [
      '{"validationAuc":0.7,"validationLoss":0.5,"validationRows":10,"rows":[1]}',
      '{"validationAuc":0.7,"validationLoss":0.5}',
      '{"validationAuc":1e400,"validationLoss":0.5,"validationRows":10}',
      '{"validationAuc":"0.7","validationLoss":0.5,"validationRows":10}',
      '{"validationAuc":null,"validationLoss":0.5,"validationRows":10}',
      '[0.7,0.5,10]',
      `{"validationAuc":0.7,"validationLoss":0.5,"validationRows":10${' '.repeat(200)}}`,
    ]) {
      expect(classifyVerticalPayload(message('epoch-metrics', json(bad)), context), bad).toEqual({ refused: 'epoch metrics must be exactly validationAuc, validationLoss, validationRows as finite numbers' });
    }
    expect(classifyVerticalPayload(message('epoch-metrics', json('{')), context)).toEqual({ refused: 'epoch metrics are not JSON' });
  });

  it('fixed-size key values, an empty done, PSI lists through their judge, and never a coordinator kind', () => {
    expect(classifyVerticalPayload(message('key-seed-reveal', filled(32, 1)), context)).toMatchObject({ classification: 'metadata' });
    expect(classifyVerticalPayload(message('key-seed-reveal', filled(64, 1)), context)).toEqual({ refused: 'a key-seed-reveal value must be 32 bytes, not 64' });
    expect(classifyVerticalPayload(message('done', new Uint8Array(0)), context)).toMatchObject({ classification: 'metadata' });
    expect(classifyVerticalPayload(message('done', new Uint8Array(1)), context)).toEqual({ refused: 'a done message carries nothing' });
    expect(classifyVerticalPayload(message('psi-blinded', filled(64, 3), { owner: 'telco' }), context)).toMatchObject({ classification: 'ciphertext', fields: { elements: 2 } });
    expect(classifyVerticalPayload(message('psi-blinded', filled(63, 3), { owner: 'telco' }), context)).toEqual({ refused: 'PSI list: not whole elements' });
    for (const kind of ['psi-ranks', 'forward-sum', 'score-sum'] as const) {
      expect(classifyVerticalPayload(message(kind, encodeBlobList([filled(8, CIPHERTEXT)])), context)).toEqual({ refused: `a party never sends ${kind} (the coordinator makes it)` });
    }
  });
});
