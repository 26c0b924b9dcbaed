import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { addressKey, type VerticalAddress } from './vertical-address.js';

/** The exact bytes a vertical message's signature covers: domain, job, the whole address, payload hash. */
function signingPayload(jobId: string, address: VerticalAddress, payloadSha256: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`hefl-vertical/1\0${jobId}\0${addressKey(address)}\0`, 'utf8'), payloadSha256]);
}

export function payloadDigest(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest();
}

export function signVerticalMessage(privateKey: KeyObject, jobId: string, address: VerticalAddress, payload: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, signingPayload(jobId, address, payloadDigest(payload)), privateKey));
}

export function verifyVerticalMessage(publicKey: KeyObject, jobId: string, address: VerticalAddress, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, signingPayload(jobId, address, payloadDigest(payload)), publicKey, signature);
  } catch {
    return false;
  }
}
