import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import type { CkksParameters } from '../../protocols/ckks/ckks-parameters.js';
import { decodeBlobList, encodeBlobList } from '../../protocols/vertical/blob-list.js';
import { WireMessageError } from '../../protocols/errors.js';

/**
 * How the coordinator adds the parties' parts of a vector (forward parts, scores): ciphertexts under
 * threshold custody (it holds no key: it can add, never read), plain float64 values when encryption
 * is switched off (the bench's baseline). The custody seam of the vertical coordinator.
 */
export interface VerticalSum extends Disposable {
  /** Each part is a blob list of equal length; the result is a blob list of the same shape. */
  sum(parts: readonly Uint8Array[], what: string): Uint8Array;
}

const MAX_ITEMS = 4_096;

export async function createVerticalSum(mode: 'threshold' | 'none', parameters: CkksParameters, scaleBits?: number): Promise<VerticalSum> {
  if (mode === 'none') return plaintextSum;
  const session = await CkksSession.create(scaleBits === undefined ? parameters : { ...parameters, scaleBits });
  return {
    sum(parts, what) {
      const lists = parts.map((part, index) => decodeBlobList(part, `${what} part ${index}`, MAX_ITEMS));
      const length = lists[0]?.length ?? 0;
      if (lists.some((list) => list.length !== length)) throw new WireMessageError(`${what}: the parts hold different numbers of ciphertexts`);
      const out: Uint8Array[] = [];
      for (let item = 0; item < length; item += 1) {
        const accumulator = session.loadCiphertext(lists[0]?.[item] as Uint8Array, `${what} part 0 ciphertext ${item}`);
        try {
          for (let part = 1; part < lists.length; part += 1) {
            const addend = session.loadCiphertext(lists[part]?.[item] as Uint8Array, `${what} part ${part} ciphertext ${item}`);
            try {
              session.addInPlace(accumulator, addend);
            } finally {
              session.release(addend);
            }
          }
          out.push(session.serializeCiphertext(accumulator));
        } finally {
          session.release(accumulator);
        }
      }
      return encodeBlobList(out);
    },
    [Symbol.dispose]: () => session.dispose(),
  };
}

/** Encryption off: every item is little-endian float64 values; the sum is element-wise. */
const plaintextSum: VerticalSum = {
  sum(parts, what) {
    const lists = parts.map((part, index) => decodeBlobList(part, `${what} part ${index}`, MAX_ITEMS));
    const first = lists[0] ?? [];
    const out = first.map((item, index) => {
      const total = new Float64Array(item.length / 8);
      for (const [part, list] of lists.entries()) {
        const values = list[index];
        if (!values || values.length !== item.length || values.length % 8 !== 0) throw new WireMessageError(`${what}: part ${part} item ${index} has the wrong size`);
        const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
        for (let slot = 0; slot < total.length; slot += 1) total[slot] = (total[slot] as number) + view.getFloat64(slot * 8, true);
      }
      return new Uint8Array(total.buffer);
    });
    return encodeBlobList(out);
  },
  [Symbol.dispose]: () => undefined,
};
