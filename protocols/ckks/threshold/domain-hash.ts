/**
 * Hashes a domain label and a list of fields without ambiguity: every field carries a type tag and a
 * length prefix, so ('ab', 'c') and ('a', 'bc') never collide and no protocol's hash is reusable in another.
 */
import { createHash } from 'node:crypto';

export type HashField = string | Uint8Array;

export function domainHash(algorithm: 'sha256' | 'sha512', domain: string, fields: readonly HashField[]): Buffer {
  const hash = createHash(algorithm);
  for (const field of [domain, ...fields]) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
    const prefix = Buffer.alloc(5);
    prefix.writeUInt8(typeof field === 'string' ? 0 : 1, 0);
    prefix.writeUInt32BE(bytes.length, 1);
    hash.update(prefix);
    hash.update(bytes);
  }
  return hash.digest();
}
