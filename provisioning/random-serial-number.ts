import { randomBytes } from 'node:crypto';

/**
 * A random 128-bit certificate serial (hex). Unpredictable serials keep two CAs or two runs from
 * colliding; the top bits are fixed so the DER INTEGER stays positive and 16 bytes long.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
