import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateBlindedList } from './element-checks.js';
import { A, P, fromLittleEndian, mod, powBigInt } from './field25519.js';
import { hashIdsToCurve, psiDst } from './hash-to-curve.js';
import { blindElements, freshScalar, randomElements, scalarKey } from './x25519-blinding.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const LOW_ORDER_HEX = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
];

describe('X25519 blinding', () => {
  it('commutes: X25519(a, X25519(b, H)) = X25519(b, X25519(a, H)), for any order of three scalars', () => {
    const points = hashIdsToCurve(['alice', 'bob', 'carol', 'dave'], psiDst('job'));
    const keys = [freshScalar(), freshScalar(), freshScalar()].map((scalar) => scalarKey(scalar));
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const results = orders.map((order) => hex(order.reduce((list, index) => blindElements(keys[index] as crypto.KeyObject, list), points)));
    expect(new Set(results).size).toBe(1);
    // …and one blinding really changes every element.
    expect(hex(blindElements(keys[0] as crypto.KeyObject, points))).not.toBe(hex(points));
  });

  it('yields zero for every blocklisted low-order u: node refuses, so they must never be blinded', () => {
    const key = scalarKey(freshScalar());
    for (const lowOrder of LOW_ORDER_HEX) {
      expect(() => blindElements(key, Buffer.from(lowOrder, 'hex'))).toThrow(/low-order/);
      expect(() => validateBlindedList(Buffer.from(lowOrder, 'hex'), 1)).toThrow(/low-order/);
    }
  });

  it('draws padding elements that are canonical, distinct curve points', () => {
    const padding = randomElements(50);
    expect(validateBlindedList(padding, 50)).toBe(50);
    for (let index = 0; index < 50; index += 1) {
      const u = fromLittleEndian(padding.subarray(index * 32, index * 32 + 32));
      expect(powBigInt(mod(u * u * u + A * u * u + u), (P - 1n) / 2n)).toBe(1n);
    }
  });

  it('refuses a scalar of the wrong length', () => {
    expect(() => scalarKey(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});
