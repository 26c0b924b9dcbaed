/**
 * End-to-end transport of one Shamir share σ_{from→to}: the coordinator relays bytes it cannot read,
 * alter, redirect or forge.
 *
 *   envelope = 'HTSS' || u8 version (1) || u32 box length || sealed box || Ed25519 signature (64)
 *   sealed box = sealTo(recipient X25519 key, share, aad)   (../../sealed-box: X25519 + HKDF-SHA-256 +
 *                AES-256-GCM, a fresh ephemeral key per box, the recipient's key in the HKDF salt)
 *   aad        = length-prefixed "tofn-shamir-share", job id, key epoch, key fingerprint, threshold,
 *                sorted roster, sorted dealers, from, to
 *   signature  = Ed25519(sender's identity key, domain || aad || sealed box)
 *
 * The receiver checks the signature with the claimed sender's identity key first (a foreign, altered or
 * re-addressed envelope is refused before any decryption), then opens the box with its own X25519 key
 * under the aad it expects (to = itself). Errors: CiphertextError naming what failed.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import { openSealed, sealTo } from '../../sealed-box/index.js';
import { assertResharingContext, dealersOf, type ResharingContext } from './thresholdizer.js';

const MAGIC = Buffer.from('HTSS', 'ascii');
const VERSION = 1;
const SIGNATURE_BYTES = 64;
const HEADER_BYTES = MAGIC.length + 1 + 4;
const SIGNING_DOMAIN = Buffer.from('hefl/tofn/sealed-shamir-share/v1\0', 'utf8');
/** Envelope bytes beyond the sealed box: header and signature. */
export const SEALED_SHARE_ENVELOPE_OVERHEAD = HEADER_BYTES + SIGNATURE_BYTES;

export interface ShareRoute {
  readonly from: string;
  readonly to: string;
}

/** The AAD of σ_{from→to} in one resharing: length-prefixed fields, no two contexts collide. */
export function sealedShareContext(resharing: ResharingContext, route: ShareRoute): Uint8Array {
  const fields = [
    'tofn-shamir-share',
    resharing.jobId,
    String(resharing.epoch),
    resharing.keyFingerprint,
    String(resharing.threshold),
    [...resharing.roster].sort().join('\0'),
    [...dealersOf(resharing)].sort().join('\0'),
    route.from,
    route.to,
  ];
  return new Uint8Array(Buffer.concat(fields.flatMap((field) => {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  })));
}

/** Seals `share` (encoded, kind 'shamir-share') to `recipientSealingKey` and signs it as `route.from`. */
export function sealShamirShare(
  share: Uint8Array,
  resharing: ResharingContext,
  route: ShareRoute,
  keys: { readonly recipientSealingKey: Uint8Array; readonly senderIdentityKey: KeyObject },
): Uint8Array {
  assertResharingContext(resharing, route.from, 'dealer');
  if (!resharing.roster.includes(route.to)) throw new KeyCustodyError(`${route.to} is not on the roster of this resharing`);
  if (keys.senderIdentityKey.type !== 'private' || keys.senderIdentityKey.asymmetricKeyType !== 'ed25519') throw new KeyCustodyError('Shamir shares are signed with the sender\'s Ed25519 identity (private) key');
  const aad = sealedShareContext(resharing, route);
  const box = sealTo(keys.recipientSealingKey, share, aad);
  const signature = sign(null, Buffer.concat([SIGNING_DOMAIN, aad, box]), keys.senderIdentityKey);
  const envelope = Buffer.alloc(HEADER_BYTES + box.length + SIGNATURE_BYTES);
  MAGIC.copy(envelope, 0);
  envelope.writeUInt8(VERSION, MAGIC.length);
  envelope.writeUInt32BE(box.length, MAGIC.length + 1);
  envelope.set(box, HEADER_BYTES);
  envelope.set(signature, HEADER_BYTES + box.length);
  return new Uint8Array(envelope.buffer, envelope.byteOffset, envelope.byteLength);
}

/**
 * Opens σ_{from→to} for `route.to`: verifies the signature of `route.from` over this resharing's
 * context, then decrypts. Returns the encoded share (decode it with aggregateShamirShares).
 */
export function openShamirShare(
  envelope: Uint8Array,
  resharing: ResharingContext,
  route: ShareRoute,
  keys: { readonly recipientSealingPrivateKey: KeyObject; readonly senderIdentityPublicKey: KeyObject },
): Uint8Array {
  assertResharingContext(resharing, route.to);
  if (!dealersOf(resharing).includes(route.from)) throw new CiphertextError(`sealed Shamir share claims sender ${route.from}, who is not a dealer of this resharing`);
  const where = `sealed Shamir share from ${route.from} to ${route.to} (job ${resharing.jobId}, key epoch ${resharing.epoch})`;
  if (!(envelope instanceof Uint8Array) || envelope.length < HEADER_BYTES + SIGNATURE_BYTES) throw new CiphertextError(`${where}: too short`);
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC) || bytes.readUInt8(MAGIC.length) !== VERSION) throw new CiphertextError(`${where}: not a version ${VERSION} sealed Shamir share`);
  const boxLength = bytes.readUInt32BE(MAGIC.length + 1);
  if (HEADER_BYTES + boxLength + SIGNATURE_BYTES !== bytes.length) throw new CiphertextError(`${where}: length fields do not match its ${bytes.length} bytes`);
  const box = bytes.subarray(HEADER_BYTES, HEADER_BYTES + boxLength);
  const signature = bytes.subarray(HEADER_BYTES + boxLength);
  const aad = sealedShareContext(resharing, route);
  let signed = false;
  try {
    signed = verify(null, Buffer.concat([SIGNING_DOMAIN, aad, box]), keys.senderIdentityPublicKey, signature);
  } catch {
    signed = false;
  }
  if (!signed) {
    throw new CiphertextError(`${where}: the signature does not verify with ${route.from}'s identity key — altered, foreign, or made for another receiver, job, epoch or roster`);
  }
  try {
    return openSealed(keys.recipientSealingPrivateKey, box, aad);
  } catch (error) {
    throw new CiphertextError(`${where}: signed by ${route.from} but does not open with ${route.to}'s sealing key (sealed to another key)`, { cause: error });
  }
}
