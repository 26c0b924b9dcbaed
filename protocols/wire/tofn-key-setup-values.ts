/**
 * The values of the t-of-N key-setup steps (protocols/wire/federation-messages.ts, TofnKeySetupStep),
 * each the `value` of one signed KeySetupMessage:
 *   sealing-key   32 bytes: the sender's fresh X25519 public key for this job;
 *   shamir-share  one per recipient: { to, envelope, canaries } — the sealed Shamir share for `to`
 *                 (protocols/ckks/threshold-t-of-n/sealed-shamir-share.ts) and, for every cover
 *                 committee the sender leads that contains `to`, the canary ciphertext the sender made;
 *                 the coordinator relays it to `to` alone;
 *   canary-share  one per cover committee the sender sits on: its partial decryption of the canary.
 * Canonical JSON (fixed key order, base64 payloads): a decoded value re-encodes to the same bytes, so
 * the egress guard can refuse anything riding along.
 */
import { z } from 'zod';
import type { Parsed } from './federation-messages.js';
import { identifier } from './wire-primitives.js';

// Canonical base64 only: the unused bits of a last character could otherwise carry a few bits out.
const base64 = z
  .string()
  .max(8_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64')
  .refine((text) => Buffer.from(text, 'base64').toString('base64') === text, 'is not canonical base64');
const committee = z.array(identifier).min(2).max(1_000);

const shamirParcelSchema = z.strictObject({
  to: identifier,
  envelope: base64,
  canaries: z.array(z.strictObject({ committee, ciphertext: base64 })).max(1_000),
});
const canaryShareSchema = z.strictObject({ committee, c1Sha256: z.string().regex(/^[0-9a-f]{64}$/), share: base64 });

export interface ShamirParcel {
  readonly to: string;
  readonly envelope: Uint8Array;
  readonly canaries: readonly { readonly committee: readonly string[]; readonly ciphertext: Uint8Array }[];
}

export interface CanaryShare {
  readonly committee: readonly string[];
  /** SHA-256 of the canary's c1 (what the member's decryption guard recorded). */
  readonly c1Sha256: string;
  /** One chunk: the canary is one ciphertext. */
  readonly share: Uint8Array;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const utf8 = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));

export function encodeShamirParcel(parcel: ShamirParcel): Uint8Array {
  return utf8({
    to: parcel.to,
    envelope: toBase64(parcel.envelope),
    canaries: parcel.canaries.map((canary) => ({ committee: [...canary.committee], ciphertext: toBase64(canary.ciphertext) })),
  });
}

export function encodeCanaryShare(share: CanaryShare): Uint8Array {
  return utf8({ committee: [...share.committee], c1Sha256: share.c1Sha256, share: toBase64(share.share) });
}

function decodeCanonical<T>(bytes: Uint8Array, schema: z.ZodType<T>, what: string, encode: (value: T) => Uint8Array): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return { success: false, reason: `${what} is not JSON` };
  }
  const result = schema.safeParse(raw);
  if (!result.success) return { success: false, reason: `${what}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` };
  if (Buffer.compare(Buffer.from(encode(result.data)), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) !== 0) {
    return { success: false, reason: `${what} is not in canonical form (extra fields, spacing or non-canonical base64)` };
  }
  return { success: true, data: result.data };
}

export function decodeShamirParcel(bytes: Uint8Array): Parsed<ShamirParcel> {
  const decoded = decodeCanonical(bytes, shamirParcelSchema, 'shamir-share value', (value) => utf8(value));
  if (!decoded.success) return decoded;
  const { to, envelope, canaries } = decoded.data;
  return { success: true, data: { to, envelope: fromBase64(envelope), canaries: canaries.map((canary) => ({ committee: canary.committee, ciphertext: fromBase64(canary.ciphertext) })) } };
}

export function decodeCanaryShare(bytes: Uint8Array): Parsed<CanaryShare> {
  const decoded = decodeCanonical(bytes, canaryShareSchema, 'canary-share value', (value) => utf8(value));
  if (!decoded.success) return decoded;
  return { success: true, data: { committee: decoded.data.committee, c1Sha256: decoded.data.c1Sha256, share: fromBase64(decoded.data.share) } };
}
