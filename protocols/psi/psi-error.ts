/**
 * The PSI's own error: a list, rank vector or setting that breaks the protocol (wrong length,
 * non-canonical or low-order element, an unblinded id about to leave, forged ranks). It carries
 * PROTOCOL_VIOLATION so CLIs map it like the other protocol errors.
 */
import { HeflError } from '../errors.js';

export class PsiError extends HeflError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROTOCOL_VIOLATION', message, options);
  }
}
