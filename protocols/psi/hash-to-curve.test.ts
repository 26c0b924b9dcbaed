import { _map_to_curve_elligator2_curve25519, ed25519, ed25519_hasher } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { A, FieldPower, P, fromLittleEndian, mod, mul, powBigInt } from './field25519.js';
import { createHashPowers, hashIdsToCurve, mapToCurveElligator2, psiDst } from './hash-to-curve.js';

const encoder = new TextEncoder();
/** Order of the prime subgroup. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function element(list: Uint8Array, index: number): Uint8Array {
  return list.subarray(index * 32, index * 32 + 32);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** u³ + A·u² + u is a nonzero square: u is the u-coordinate of a curve point, not a twist point. */
function onCurve(u: bigint): boolean {
  const g = mod(u * u * u + A * u * u + u);
  return g !== 0n && powBigInt(g, (P - 1n) / 2n) === 1n;
}

/** [k]·(u, ·) with the RFC 7748 ladder, unclamped; returns Z = 0 for the identity. */
function ladder(k: bigint, u: bigint): { x: bigint; z: bigint } {
  let [x2, z2, x3, z3] = [1n, 0n, u, 1n];
  let swap = 0n;
  const a24 = (A - 2n) / 4n;
  for (let t = BigInt(k.toString(2).length - 1); t >= 0n; t -= 1n) {
    const bit = (k >> t) & 1n;
    if (swap !== bit) [x2, x3, z2, z3] = [x3, x2, z3, z2];
    swap = bit;
    const a = mod(x2 + z2);
    const aa = mul(a, a);
    const b = mod(x2 - z2);
    const bb = mul(b, b);
    const e = mod(aa - bb);
    const c = mod(x3 + z3);
    const d = mod(x3 - z3);
    const da = mul(d, a);
    const cb = mul(c, b);
    x3 = mul(mod(da + cb), mod(da + cb));
    z3 = mul(u, mul(mod(da - cb), mod(da - cb)));
    x2 = mul(aa, bb);
    z2 = mul(e, mod(aa + mul(a24, e)));
  }
  if (swap === 1n) [x2, z2] = [x3, z3];
  return { x: x2, z: z2 };
}

describe('hash to curve (RFC 9380 curve25519_XMD:SHA-512_ELL2_RO_)', () => {
  it('matches the RFC 9380 test vectors (Appendix J, curve25519 RO)', () => {
    const dst = encoder.encode('QUUX-V01-CS02-with-curve25519_XMD:SHA-512_ELL2_RO_');
    const vectors: [string, string][] = [
      ['', '2de3780abb67e861289f5749d16d3e217ffa722192d16bbd9d1bfb9d112b98c0'],
      ['abc', '2b4419f1f2d48f5872de692b0aca72cc7b0a60915dd70bde432e826b6abc526d'],
      ['abcdef0123456789', '68ca1ea5a6acf4e9956daa101709b1eee6c1bb0df1de3b90d4602382a104c036'],
    ];
    const out = hashIdsToCurve(
      vectors.map(([message]) => message),
      dst,
    );
    // The RFC prints P.x big-endian; X25519 bytes are little-endian.
    vectors.forEach(([, x], index) => expect(hex(Uint8Array.from(element(out, index)).reverse())).toBe(x));
  });

  it('gives the u of noble’s edwards25519 hash_to_curve for the same DST (the edwards25519 suite)', () => {
    const dst = psiDst('job-2026-bank-shop');
    const ids = Array.from({ length: 150 }, (_, index) => (index % 3 === 0 ? `ünïcødé-${index}` : `customer-${index * 7919}`));
    const out = hashIdsToCurve(ids, dst);
    ids.forEach((id, index) => {
      const point = ed25519_hasher.hashToCurve(encoder.encode(id), { DST: dst });
      expect(hex(element(out, index))).toBe(hex(ed25519.utils.toMontgomery(point.toBytes())));
    });
  });

  it('handles DSTs over 255 bytes like noble (RFC 9380 §5.3.3)', () => {
    const dst = psiDst('j'.repeat(300));
    const out = hashIdsToCurve(['x'], dst);
    const point = ed25519_hasher.hashToCurve(encoder.encode('x'), { DST: dst });
    expect(hex(out)).toBe(hex(ed25519.utils.toMontgomery(point.toBytes())));
  });

  it('puts 1,000 ids on the curve, never on the twist', () => {
    const out = hashIdsToCurve(
      Array.from({ length: 1000 }, (_, index) => `id-${index}`),
      psiDst('job'),
    );
    for (let index = 0; index < 1000; index += 1) expect(onCurve(fromLittleEndian(element(out, index)))).toBe(true);
  });

  it('lands in the prime-order subgroup ([ℓ]P is the identity, cofactor cleared)', () => {
    const out = hashIdsToCurve(
      Array.from({ length: 8 }, (_, index) => `id-${index}`),
      psiDst('job'),
    );
    for (let index = 0; index < 8; index += 1) {
      const u = fromLittleEndian(element(out, index));
      expect(ladder(L, u).z).toBe(0n);
      expect(ladder(L - 1n, u).z).not.toBe(0n);
    }
  });

  it('is deterministic per (jobId, id) and separates jobs and ids', () => {
    const ids = ['alice', 'bob', 'alice'];
    const first = hashIdsToCurve(ids, psiDst('job-1'));
    const again = hashIdsToCurve(ids, psiDst('job-1'));
    const otherJob = hashIdsToCurve(ids, psiDst('job-2'));
    expect(hex(first)).toBe(hex(again));
    expect(hex(element(first, 0))).toBe(hex(element(first, 2)));
    expect(hex(element(first, 0))).not.toBe(hex(element(first, 1)));
    for (let index = 0; index < 3; index += 1) expect(hex(element(otherJob, index))).not.toBe(hex(element(first, index)));
  });

  it('refuses an empty jobId', () => {
    expect(() => psiDst('')).toThrow(/jobId/);
  });

  it('Elligator 2 agrees with noble’s map_to_curve_elligator2_curve25519 and lands on the curve', () => {
    const powers = createHashPowers();
    let u = 12345678901234567890n;
    for (let round = 0; round < 200; round += 1) {
      u = mod(u * u + 7n);
      const mine = mapToCurveElligator2(u, powers.sqrtRatio);
      const theirs = _map_to_curve_elligator2_curve25519(u);
      const x = mul(mine.xn, powBigInt(mine.xd, P - 2n));
      expect(x).toBe(mul(theirs.xMn, powBigInt(theirs.xMd, P - 2n)));
      expect(mul(mine.y, mine.y)).toBe(mod(x * x * x + A * x * x + x));
    }
  });
});

describe('FieldPower', () => {
  it('uses OpenSSL here and agrees with BigInt square-and-multiply', () => {
    const power = new FieldPower((P - 5n) / 8n);
    expect(power.backend).toBe('openssl');
    let x = 3n;
    for (let round = 0; round < 100; round += 1) {
      x = mod(x * 0x9e3779b97f4a7c15n + 1n);
      expect(power.pow(x)).toBe(powBigInt(x, power.exponent));
    }
    for (const edge of [0n, 1n, P - 1n, P, P + 1n]) expect(power.pow(edge)).toBe(powBigInt(edge, power.exponent));
  });

  it('hashes identically through the BigInt fallback', () => {
    const ids = Array.from({ length: 20 }, (_, index) => `id-${index}`);
    const fallback = createHashPowers({ native: false });
    expect(fallback.sqrtRatio.backend).toBe('bigint');
    expect(hex(hashIdsToCurve(ids, psiDst('job'), fallback))).toBe(hex(hashIdsToCurve(ids, psiDst('job'))));
  });
});
