/**
 * Ids to Curve25519 points: RFC 9380 hash_to_curve, suite curve25519_XMD:SHA-512_ELL2_RO_
 * (expand_message_xmd with SHA-512, two field elements, Elligator 2 twice, point addition, cofactor
 * cleared), returning the u-coordinate as X25519's 32 little-endian bytes.
 *
 * The edwards25519 suite of RFC 9380 (edwards25519_XMD:SHA-512_ELL2_RO_, noble's ed25519_hasher) runs
 * the same map followed by the birational map to Edwards; since that map is a group isomorphism and
 * keeps u = (1 + y)/(1 − y), both suites give the same u for the same DST (hash-to-curve.test.ts checks
 * it against noble and against the RFC's curve25519 vectors). Here the work is done on the Montgomery
 * curve because it is ~3× cheaper: the two exponentiations run natively (field25519.ts) and the final
 * inversions are batched.
 *
 * Why it is a proper hash into the group: the RO variant is indifferentiable from a random oracle
 * onto the curve (RFC 9380 §6.6.3, §10), cofactor clearing lands in the prime-order subgroup, and every
 * output is on the curve, never on the twist, so a blinded element shows nothing about which id made it.
 */
import crypto from 'node:crypto';
import { A, FieldPower, P, add, fromBigEndian, invertAll, mod, mul, sub, toLittleEndian32 } from './field25519.js';
import { PsiError } from './psi-error.js';

const C4 = (P - 5n) / 8n;
const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;
/** c2 = 2^((p + 3)/8) */
const C2 = (() => {
  let r = 1n;
  let s = 2n;
  for (let e = (P + 3n) / 8n; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * s) % P;
    s = (s * s) % P;
  }
  return r;
})();
const A24 = (A + 2n) / 4n;

/** The domain separation tag for one job: ids hash to unrelated points in different jobs. */
export function psiDst(jobId: string): Uint8Array {
  if (jobId.length === 0) throw new PsiError('jobId must be non-empty');
  return new TextEncoder().encode(`HEFL-PSI-v1:${jobId}`);
}

function sha512(data: Uint8Array): Buffer {
  return crypto.hash('sha512', data, 'buffer');
}

/** RFC 9380 §5.3.1 DST_prime, with §5.3.3's rule for DSTs over 255 bytes. */
function dstPrime(dst: Uint8Array): Uint8Array {
  const tag = dst.length > 255 ? sha512(Buffer.concat([new TextEncoder().encode('H2C-OVERSIZE-DST-'), dst])) : dst;
  const prime = new Uint8Array(tag.length + 1);
  prime.set(tag);
  prime[tag.length] = tag.length;
  return prime;
}

/** SHA-512's block size: the zero block that starts msg_prime. */
const Z_PAD_BYTES = 128;

/** RFC 9380 §5.3.1 expand_message_xmd with SHA-512 (one-shot hashes over preassembled inputs). */
export function expandMessageXmd(message: Uint8Array, dst: Uint8Array, length: number): Uint8Array {
  const ell = Math.ceil(length / 64);
  if (ell > 255 || length > 65535) throw new RangeError(`expand_message_xmd: length ${length} too large`);
  const tag = dstPrime(dst);
  // msg_prime = Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST_prime
  const messagePrime = new Uint8Array(Z_PAD_BYTES + message.length + 3 + tag.length);
  messagePrime.set(message, Z_PAD_BYTES);
  messagePrime.set([length >> 8, length & 0xff, 0], Z_PAD_BYTES + message.length);
  messagePrime.set(tag, Z_PAD_BYTES + message.length + 3);
  const b0 = sha512(messagePrime);
  // b_1 = H(b_0 ‖ 1 ‖ DST_prime); b_i = H((b_0 XOR b_(i−1)) ‖ i ‖ DST_prime)
  const block = new Uint8Array(64 + 1 + tag.length);
  block.set(tag, 65);
  const out = new Uint8Array(ell * 64);
  let previous: Uint8Array = b0;
  for (let index = 1; index <= ell; index += 1) {
    if (index === 1) block.set(b0, 0);
    else for (let byte = 0; byte < 64; byte += 1) block[byte] = (b0[byte] as number) ^ (previous[byte] as number);
    block[64] = index;
    previous = sha512(block);
    out.set(previous, (index - 1) * 64);
  }
  return out.subarray(0, length);
}

/** RFC 9380 §5.2 hash_to_field with count 2, L = 48. */
export function hashToField(message: Uint8Array, dst: Uint8Array): [bigint, bigint] {
  const bytes = expandMessageXmd(message, dst, 96);
  return [fromBigEndian(bytes.subarray(0, 48)) % P, fromBigEndian(bytes.subarray(48, 96)) % P];
}

/** sgn0 for GF(p): the parity of the canonical representative. */
function sgn0(x: bigint): bigint {
  return x & 1n;
}

/** An affine Montgomery point with u = xn / xd. */
export interface MontgomeryFraction {
  readonly xn: bigint;
  readonly xd: bigint;
  readonly y: bigint;
}

/**
 * RFC 9380 Appendix G.2.1 map_to_curve_elligator2_curve25519, step for step (the constant-time
 * CMOVs become plain conditionals: the inputs are hashes of the party's own ids, computed locally).
 */
export function mapToCurveElligator2(u: bigint, power: FieldPower): MontgomeryFraction {
  let tv1 = mul(u, u);
  tv1 = add(tv1, tv1);
  const xd = add(tv1, 1n);
  const x1n = P - A;
  let tv2 = mul(xd, xd);
  const gxd = mul(tv2, xd);
  let gx1 = mul(A, tv1);
  gx1 = mul(gx1, x1n);
  gx1 = add(gx1, tv2);
  gx1 = mul(gx1, x1n);
  let tv3 = mul(gxd, gxd);
  tv2 = mul(tv3, tv3);
  tv3 = mul(tv3, gxd);
  tv3 = mul(tv3, gx1);
  tv2 = mul(tv2, tv3);
  let y11 = power.pow(tv2);
  y11 = mul(y11, tv3);
  const y12 = mul(y11, SQRT_M1);
  tv2 = mul(mul(y11, y11), gxd);
  const y1 = tv2 === gx1 ? y11 : y12;
  const x2n = mul(x1n, tv1);
  const y21 = mul(mul(y11, u), C2);
  const y22 = mul(y21, SQRT_M1);
  const gx2 = mul(gx1, tv1);
  tv2 = mul(mul(y21, y21), gxd);
  const y2 = tv2 === gx2 ? y21 : y22;
  tv2 = mul(mul(y1, y1), gxd);
  const e3 = tv2 === gx1;
  const xn = e3 ? x1n : x2n;
  let y = e3 ? y1 : y2;
  const e4 = sgn0(y) === 1n;
  if (e3 !== e4) y = mod(-y);
  return { xn, xd, y };
}

/** X:Z of [8](Q0 + Q1), before the final division. Z = 0 means the identity. */
export function clearedSum(q0: MontgomeryFraction, q1: MontgomeryFraction): { x: bigint; z: bigint } {
  let x: bigint;
  let z: bigint;
  // Q0 + Q1 in affine form, over the common denominator D²·x0d·x1d: λ = (y1 − y0)·x0d·x1d / D.
  const d = sub(mul(q1.xn, q0.xd), mul(q0.xn, q1.xd));
  const dd = mul(q0.xd, q1.xd);
  if (d !== 0n) {
    const lambdaN = mul(sub(q1.y, q0.y), dd);
    const d2 = mul(d, d);
    const rest = add(add(mul(A, dd), mul(q0.xn, q1.xd)), mul(q1.xn, q0.xd));
    x = sub(mul(mul(lambdaN, lambdaN), dd), mul(rest, d2));
    z = mul(d2, dd);
  } else if (q0.y === q1.y && q0.y !== 0n) {
    // Q0 = Q1: x-only doubling of Q0 (probability ~2^-252, kept for exactness).
    ({ x, z } = double(q0.xn, q0.xd));
  } else {
    return { x: 1n, z: 0n }; // Q0 = −Q1
  }
  for (let step = 0; step < 3; step += 1) ({ x, z } = double(x, z));
  return { x, z };
}

/** x-only doubling on the Montgomery curve (RFC 7748's ladder formulas). */
function double(x: bigint, z: bigint): { x: bigint; z: bigint } {
  const sum = add(x, z);
  const difference = sub(x, z);
  const aa = mul(sum, sum);
  const bb = mul(difference, difference);
  const e = sub(aa, bb);
  return { x: mul(aa, bb), z: mul(e, add(bb, mul(A24, e))) };
}

/** Per-thread exponentiation objects (each holds an OpenSSL DH context). */
export interface HashPowers {
  readonly sqrtRatio: FieldPower;
  readonly inverse: FieldPower;
}

export function createHashPowers(options: { readonly native?: boolean } = {}): HashPowers {
  return { sqrtRatio: new FieldPower(C4, options), inverse: new FieldPower(P - 2n, options) };
}

/**
 * hash_to_curve(id) for every id, as 32·n bytes of X25519 u-coordinates (little-endian). Ids are
 * encoded as UTF-8. The identity (probability ~2^-252) is refused rather than encoded as u = 0.
 */
export function hashIdsToCurve(ids: readonly string[], dst: Uint8Array, powers: HashPowers = createHashPowers()): Uint8Array {
  const encoder = new TextEncoder();
  const xs: bigint[] = new Array<bigint>(ids.length);
  const zs: bigint[] = new Array<bigint>(ids.length);
  for (let index = 0; index < ids.length; index += 1) {
    const [u0, u1] = hashToField(encoder.encode(ids[index] as string), dst);
    const { x, z } = clearedSum(mapToCurveElligator2(u0, powers.sqrtRatio), mapToCurveElligator2(u1, powers.sqrtRatio));
    if (z === 0n) throw new PsiError(`id at index ${index} hashes to the identity point`);
    xs[index] = x;
    zs[index] = z;
  }
  const inverses = invertAll(zs, powers.inverse);
  const out = new Uint8Array(32 * ids.length);
  for (let index = 0; index < ids.length; index += 1) toLittleEndian32(mul(xs[index] as bigint, inverses[index] as bigint), out, 32 * index);
  return out;
}
