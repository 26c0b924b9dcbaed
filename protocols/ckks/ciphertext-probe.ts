import type { CkksSession } from './ckks-session.js';

/**
 * "Is this a ciphertext under the federation's parameters?": the bytes load in `session` (size, level,
 * scale and every coefficient checked by CkksSession.loadCiphertext), and the loaded handle is freed at
 * once. The one probe the egress guard, the ledgers and `hefl audit` hand to classifyEgress /
 * classifyCoordinatorResponse.
 */
export function ciphertextProbe(session: CkksSession, where: string): (bytes: Uint8Array) => boolean {
  return (bytes) => {
    try {
      session.release(session.loadCiphertext(bytes, where));
      return true;
    } catch {
      return false;
    }
  };
}
