/**
 * Arithmetic in GF(p), p = 2^255 − 19, for hashing ids to Curve25519 (hash-to-curve.ts).
 *
 * BigInt multiplication is fine for the ~80 multiplications per id, but an exponentiation by a
 * 252-bit exponent costs ~100 µs in BigInt and Elligator 2 needs two per id. OpenSSL's Montgomery
 * modexp is reachable from node:crypto through a Diffie–Hellman object: computeSecret(x) = x^e mod N
 * for its private exponent e. OpenSSL refuses moduli under 512 bits, so N = p·(2^257 − 1) (odd, 512
 * bits; only the remainder mod p matters: (x^e mod N) mod p = x^e mod p because p | N). That costs
 * ~25 µs. `FieldPower` checks the native path against BigInt once at construction and falls back to
 * BigInt if OpenSSL ever refuses the composite modulus, so results never depend on which path ran.
 */
import crypto from 'node:crypto';

export const P = 2n ** 255n - 19n;
/** Montgomery A of Curve25519: v² = u³ + A·u² + u. */
export const A = 486662n;

export function mod(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}

export function mul(x: bigint, y: bigint): bigint {
  return (x * y) % P;
}

export function sub(x: bigint, y: bigint): bigint {
  const r = x - y;
  return r < 0n ? r + P : r;
}

export function add(x: bigint, y: bigint): bigint {
  const r = x + y;
  return r >= P ? r - P : r;
}

/** Square-and-multiply in BigInt: the reference, and the fallback. */
export function powBigInt(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % P;
    square = (square * square) % P;
  }
  return result;
}

const NATIVE_MODULUS = P * (2n ** 257n - 1n);
const NATIVE_BYTES = 64;

function toBigEndian(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

export function fromBigEndian(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

/** x ↦ x^e mod p for one fixed exponent e. */
export class FieldPower {
  private readonly native: crypto.DiffieHellman | undefined;

  /** `native: false` forces BigInt (tests of the fallback). */
  constructor(
    readonly exponent: bigint,
    options: { readonly native?: boolean } = {},
  ) {
    this.native = options.native === false ? undefined : FieldPower.nativeFor(exponent);
  }

  /** Which implementation runs: 'openssl' (DH modexp) or 'bigint' (fallback). */
  get backend(): 'openssl' | 'bigint' {
    return this.native ? 'openssl' : 'bigint';
  }

  pow(base: bigint): bigint {
    const x = mod(base);
    // DH refuses public values ≤ 1; x^e is x there anyway (e > 0).
    if (!this.native || x <= 1n) return x <= 1n ? x : powBigInt(x, this.exponent);
    return fromBigEndian(this.native.computeSecret(toBigEndian(x, NATIVE_BYTES))) % P;
  }

  private static nativeFor(exponent: bigint): crypto.DiffieHellman | undefined {
    try {
      const dh = crypto.createDiffieHellman(toBigEndian(NATIVE_MODULUS, NATIVE_BYTES), Buffer.from([2]));
      dh.setPrivateKey(toBigEndian(exponent, 32));
      for (const probe of [2n, 3n, P - 2n, 0x1234567890abcdef1234567890abcdefn]) {
        const got = fromBigEndian(dh.computeSecret(toBigEndian(probe, NATIVE_BYTES))) % P;
        if (got !== powBigInt(probe, exponent)) return undefined;
      }
      return dh;
    } catch {
      return undefined;
    }
  }
}

/** Inverts every (nonzero) value with one exponentiation: Montgomery's batch-inversion trick. */
export function invertAll(values: readonly bigint[], inverse: FieldPower): bigint[] {
  const prefix: bigint[] = new Array<bigint>(values.length);
  let running = 1n;
  for (let index = 0; index < values.length; index += 1) {
    prefix[index] = running;
    running = mul(running, values[index] as bigint);
  }
  let inv = inverse.pow(running);
  const result: bigint[] = new Array<bigint>(values.length);
  for (let index = values.length - 1; index >= 0; index -= 1) {
    result[index] = mul(inv, prefix[index] as bigint);
    inv = mul(inv, values[index] as bigint);
  }
  return result;
}

/** 32-byte little-endian encoding (RFC 7748), the X25519 wire form of a u-coordinate. */
export function toLittleEndian32(value: bigint, target: Uint8Array, offset: number): void {
  target.set(toBigEndian(value, 32).reverse(), offset);
}

export function fromLittleEndian(bytes: Uint8Array): bigint {
  return fromBigEndian(Uint8Array.from(bytes).reverse());
}
