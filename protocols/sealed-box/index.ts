/**
 * Sealed boxes for small peer-to-peer payloads relayed by the coordinator (coefficient shares):
 * X25519 ephemeral ECDH + HKDF-SHA-256 + AES-256-GCM, all node:crypto; the AAD names the context.
 *
 *   createSealingKeyPair(): { publicKey: Uint8Array(32); privateKey: KeyObject }
 *   sealTo(recipientPublicKey: Uint8Array(32), plaintext: Uint8Array, aad: Uint8Array): Uint8Array   (+49 bytes)
 *   openSealed(privateKey: KeyObject, sealed: Uint8Array, aad: Uint8Array): Uint8Array
 *   sealedBoxContext({ jobId, batch, owner, from, feature, purpose? }): Uint8Array   (canonical AAD)
 * Errors: CiphertextError when a box does not open (wrong recipient, wrong AAD, altered bytes);
 * KeyCustodyError for a malformed key. No sender authentication: sign the box (or its digest) on the wire.
 */
export { createSealingKeyPair, importSealingPrivateKey, openSealed, sealedBoxContext, sealTo, SEALED_BOX_OVERHEAD, SEALING_PUBLIC_KEY_BYTES } from './sealed-box.js';
export type { SealingKeyPair } from './sealed-box.js';
