import type { CkksSession } from '../../../protocols/ckks/ckks-session.js';
import { HeflError } from '../../../protocols/errors.js';
import { decodeBlobList } from '../../../protocols/vertical/blob-list.js';

const MAX_ITEMS = 4_096;

/**
 * The privacy floor of a vertical party: before it derives anything from a sum the coordinator made
 * (products of Enc(d), partial decryptions of the scores), it re-adds the signed parts itself and
 * compares bit for bit, so the coordinator cannot have it work on one party's part alone or on a
 * ciphertext of its own choosing.
 */
export function verifyCiphertextSum(session: CkksSession, sum: Uint8Array, parts: readonly Uint8Array[], what: string): void {
  const sumItems = decodeBlobList(sum, `${what} sum`, MAX_ITEMS);
  const partItems = parts.map((part, index) => decodeBlobList(part, `${what} part ${index}`, MAX_ITEMS));
  if (partItems.some((items) => items.length !== sumItems.length)) throw new HeflError('PROTOCOL_VIOLATION', `${what}: the coordinator's sum and the signed parts hold different numbers of ciphertexts`);
  sumItems.forEach((item, index) => {
    const claimed = session.loadCiphertext(item, `${what} sum ciphertext ${index}`);
    const total = session.loadCiphertext(partItems[0]?.[index] as Uint8Array, `${what} part 0 ciphertext ${index}`);
    try {
      for (let part = 1; part < partItems.length; part += 1) {
        const addend = session.loadCiphertext(partItems[part]?.[index] as Uint8Array, `${what} part ${part} ciphertext ${index}`);
        try {
          session.addInPlace(total, addend);
        } finally {
          session.release(addend);
        }
      }
      const same = Buffer.compare(Buffer.from(session.serializeCiphertext(claimed, 'none')), Buffer.from(session.serializeCiphertext(total, 'none'))) === 0;
      if (!same) throw new HeflError('PROTOCOL_VIOLATION', `${what}: ciphertext ${index} of the coordinator's sum is not the sum of the signed parts; nothing is derived from it`);
    } finally {
      session.release(claimed);
      session.release(total);
    }
  });
}
