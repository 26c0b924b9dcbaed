import type { VerticalChannel } from '../vertical-channel.js';

/** One batch of this party's gradient step: its own feature columns on the batch rows. */
export interface GradientStep {
  readonly epoch: number;
  readonly batch: number;
  /** One array per own feature, one entry per batch row (quantised, clipped). */
  readonly columns: readonly Float64Array[];
  /** The coordinator's Enc(d) for the batch, checked against the signed forward parts. */
  readonly forwardSum: Uint8Array;
}

/**
 * The custody seam of a vertical party: how forward parts and scores are protected and how a party
 * obtains its own gradient. Threshold custody (threshold-vertical-custody.ts) encrypts under the
 * collective key, never decrypts d and exchanges coefficient-0 partial decryptions; custody `none`
 * (plaintext-vertical-custody.ts) sends values in the clear, the bench's baseline only. The training
 * loop (run-vertical-epoch.ts) is the same for both.
 */
export interface VerticalPartyCustody extends Disposable {
  /** The payload of this party's part of a vector (a forward part or scores), at most one ciphertext per N rows. */
  encryptPart(values: Float64Array, what: 'forward-part' | 'score-part'): Promise<Uint8Array>;
  /** Refuses a sum that is not exactly the sum of the signed parts (before anything is derived from it). */
  verifySum(sum: Uint8Array, parts: readonly Uint8Array[], what: string): Promise<void>;
  /** ⟨d, x_j⟩ for each own feature over the batch rows. */
  gradientSums(channel: VerticalChannel, step: GradientStep): Promise<Float64Array>;
  /** This party's part in the other parties' gradient steps of the batch. */
  serveGradientRequests(channel: VerticalChannel, epoch: number, batch: number): Promise<void>;
  /** Reveals the summed scores to the label holder only: it gets them, every other party undefined. */
  revealScores(channel: VerticalChannel, position: { epoch: number; batch: number }, scoreSum: Uint8Array, length: number): Promise<Float64Array | undefined>;
}
