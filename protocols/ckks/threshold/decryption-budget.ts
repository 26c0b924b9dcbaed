/**
 * Per-key decryption accounting for one party. Smudging is sized for tau decryptions under one key, and
 * fresh noise on a repeated partial decryption of the same ciphertext averages out; so a party refuses a
 * ciphertext it already decrypted and anything past its budget (then the federation rotates keys).
 * Keep one budget per secret share, for the life of that share.
 */
import { KeyCustodyError } from '../../errors.js';

export class DecryptionBudget {
  private readonly decrypted = new Set<string>();

  constructor(readonly maxCiphertexts: number) {
    if (!Number.isInteger(maxCiphertexts) || maxCiphertexts < 1) throw new RangeError(`decryption budget must be a positive integer, got ${maxCiphertexts}`);
  }

  get used(): number {
    return this.decrypted.size;
  }

  get remaining(): number {
    return this.maxCiphertexts - this.decrypted.size;
  }

  /**
   * Records ciphertexts (by digest) about to be partially decrypted. All or nothing: throws
   * KeyCustodyError, recording none, if one was decrypted before, repeats, or the budget would overflow.
   */
  spend(ciphertextDigests: readonly string[]): void {
    const batch = new Set<string>();
    for (const digest of ciphertextDigests) {
      if (this.decrypted.has(digest) || batch.has(digest)) {
        throw new KeyCustodyError(`ciphertext ${digest.slice(0, 16)}… was already partially decrypted under this key; refusing to decrypt it again`);
      }
      batch.add(digest);
    }
    if (batch.size > this.remaining) {
      throw new KeyCustodyError(`decrypting ${batch.size} more ciphertexts would exceed this key's budget of ${this.maxCiphertexts} (${this.remaining} left): rotate keys`);
    }
    for (const digest of batch) this.decrypted.add(digest);
  }
}
