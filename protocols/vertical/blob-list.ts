import { WireMessageError } from '../errors.js';

/**
 * Several byte strings in one payload (the ciphertexts of a vector, the c1 polynomials of a party's
 * gradient products): u32 count, then per item a u32 length and its bytes, little-endian.
 */
export function encodeBlobList(items: readonly Uint8Array[]): Uint8Array {
  const total = 4 + items.reduce((sum, item) => sum + 4 + item.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length, true);
  let offset = 4;
  for (const item of items) {
    view.setUint32(offset, item.length, true);
    out.set(item, offset + 4);
    offset += 4 + item.length;
  }
  return out;
}

/** Decodes what encodeBlobList wrote; refuses truncated, over-long or trailing bytes and too many items. */
export function decodeBlobList(bytes: Uint8Array, what: string, maxItems: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw new WireMessageError(`${what}: too short for a list`);
  const count = view.getUint32(0, true);
  if (count > maxItems) throw new WireMessageError(`${what}: ${count} items, at most ${maxItems} allowed`);
  const items: Uint8Array[] = [];
  let offset = 4;
  for (let index = 0; index < count; index += 1) {
    if (offset + 4 > bytes.length) throw new WireMessageError(`${what}: item ${index} is truncated`);
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > bytes.length) throw new WireMessageError(`${what}: item ${index} is truncated`);
    items.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== bytes.length) throw new WireMessageError(`${what}: ${bytes.length - offset} bytes after the last item`);
  return items;
}
