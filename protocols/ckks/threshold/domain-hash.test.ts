import { describe, expect, it } from 'vitest';
import { domainHash } from './domain-hash.js';

describe('domainHash', () => {
  it('separates domains, field boundaries and field types', () => {
    const base = domainHash('sha256', 'd', ['ab', 'c']).toString('hex');
    expect(domainHash('sha256', 'd', ['a', 'bc']).toString('hex')).not.toBe(base);
    expect(domainHash('sha256', 'e', ['ab', 'c']).toString('hex')).not.toBe(base);
    expect(domainHash('sha256', 'd', [Buffer.from('ab'), 'c']).toString('hex')).not.toBe(base);
    expect(domainHash('sha256', 'd', ['ab', 'c']).toString('hex')).toBe(base);
    expect(domainHash('sha512', 'd', []).length).toBe(64);
  });
});
