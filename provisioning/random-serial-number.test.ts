import { describe, expect, it } from 'vitest';
import { randomSerialNumber } from './random-serial-number.js';

describe('randomSerialNumber', () => {
  it('gives distinct positive 128-bit serials with no leading zero byte', () => {
    const serials = Array.from({ length: 200 }, () => randomSerialNumber());
    expect(new Set(serials).size).toBe(200);
    for (const serial of serials) expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
  });
});
