import { describe, expect, it } from 'vitest';
import { decodeBlobList, encodeBlobList } from './blob-list.js';

describe('blob lists', () => {
  it('round-trips items of any size, including empty ones', () => {
    const items = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(1000).fill(7)];
    const decoded = decodeBlobList(encodeBlobList(items), 'test', 10);
    expect(decoded.map((item) => [...item])).toEqual(items.map((item) => [...item]));
  });

  it('refuses truncation, trailing bytes and too many items, naming the problem', () => {
    const encoded = encodeBlobList([new Uint8Array([1, 2, 3]), new Uint8Array([4])]);
    expect(() => decodeBlobList(encoded.subarray(0, encoded.length - 1), 'products', 10)).toThrow(/products: item 1 is truncated/);
    expect(() => decodeBlobList(new Uint8Array([...encoded, 0]), 'products', 10)).toThrow(/1 bytes after the last item/);
    expect(() => decodeBlobList(encoded, 'products', 1)).toThrow(/2 items, at most 1/);
  });
});
