import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { CkksSession } from '../../../protocols/ckks/ckks-session.js';
import { coefficientShares, combineCoefficientShares, encryptForwardPart, gradientProducts } from '../../../protocols/ckks/coefficient/index.js';
import { combineDecryptionShares, createDecryptionShare } from '../../../protocols/ckks/threshold/index.js';
import type { DecryptionBudget } from '../../../protocols/ckks/threshold/decryption-budget.js';
import type { ThresholdCkksContext } from '../../../protocols/ckks/threshold/threshold-context.js';
import { CiphertextError, KeyCustodyError } from '../../../protocols/errors.js';
import { openSealed, sealTo } from '../../../protocols/sealed-box/index.js';
import { decodeBlobList, encodeBlobList } from '../../../protocols/vertical/blob-list.js';
import { addressKey, verticalAddress, type VerticalAddress } from '../../../protocols/vertical/vertical-address.js';
import type { VerticalChannel } from '../vertical-channel.js';
import type { GradientStep, VerticalPartyCustody } from './vertical-party-custody.js';
import { verifyCiphertextSum } from './verify-ciphertext-sum.js';
import { decodeKeptCoefficients, encodeKeptCoefficients } from './kept-coefficients-codec.js';

/** Bytes of one coefficient-0 share: one 64-bit residue per data prime. */
export const COEFFICIENT_SHARE_BYTES = 16;
/** The most items a gradient-products list may hold at all (the job caps features per party at 512). */
const MAX_PRODUCTS = 4_096;

export interface ThresholdVerticalCustodyOptions {
  readonly jobId: string;
  readonly me: string;
  readonly parties: readonly string[];
  readonly labelHolder: string;
  readonly context: ThresholdCkksContext;
  /** Encrypts score parts under the collective key and re-adds sums (public material only). */
  readonly session: CkksSession;
  readonly collectivePublicKey: Uint8Array;
  readonly secretShare: Uint8Array;
  readonly sealingKey: KeyObject;
  readonly sealingPublicKeys: ReadonlyMap<string, Uint8Array>;
  /** Each party's declared (encoded) feature count: exactly that many products per batch are served. */
  readonly featureCounts: ReadonlyMap<string, number>;
  readonly featureScaleBits: number;
  readonly clip: number;
  readonly coefficientSmudgingBits: number;
  readonly scoreSmudgingBits: number;
  /** Every c1 this key share decrypts a coefficient of (refuses repeats and more than tau). */
  readonly coefficientBudget: DecryptionBudget;
  readonly scoreBudget: DecryptionBudget;
  /** Told of every partial decryption before it leaves (the node's decryption log). */
  readonly logger?: Logger | undefined;
}

/** The additional data every sealed box is bound to: job and the exact mailbox address. */
export function sealedContext(jobId: string, address: VerticalAddress): Uint8Array {
  return new Uint8Array(Buffer.from(`hefl-vertical-sealed/1\0${jobId}\0${addressKey(address)}`, 'utf8'));
}

/**
 * Threshold custody of a vertical party: forward parts are encrypted under the collective key and d
 * is never decrypted; each party obtains ⟨d, x_j⟩ for its own features only, as coefficient 0 of
 * Enc(d)·x_j decrypted jointly, every other key holder's share sealed to that party alone; scores
 * are decrypted for the label holder alone. See protocols/ckks/coefficient/README.md.
 */
export class ThresholdVerticalCustody implements VerticalPartyCustody {
  constructor(private readonly options: ThresholdVerticalCustodyOptions) {}

  async encryptPart(values: Float64Array, what: 'forward-part' | 'score-part'): Promise<Uint8Array> {
    const { context, collectivePublicKey, session } = this.options;
    if (what === 'forward-part') return encodeBlobList([await encryptForwardPart(context, collectivePublicKey, values)]);
    return encodeBlobList(session.encryptVector(values.length > 0 ? values : new Float64Array(1)));
  }

  async verifySum(sum: Uint8Array, parts: readonly Uint8Array[], what: string): Promise<void> {
    verifyCiphertextSum(this.options.session, sum, parts, what);
  }

  async gradientSums(channel: VerticalChannel, step: GradientStep): Promise<Float64Array> {
    const { context, me, parties, jobId } = this.options;
    const [forward] = decodeBlobList(step.forwardSum, 'forward sum', 1);
    if (!forward) throw new CiphertextError('the forward sum holds no ciphertext');
    const entry = await channel.sendOnce('gradient-products', { epoch: step.epoch, batch: step.batch, owner: me }, async () => {
      const made = await gradientProducts(context, this.options.collectivePublicKey, forward, step.columns, {
        featureScaleBits: this.options.featureScaleBits,
        maxAbsFeature: this.options.clip,
      });
      return { payload: encodeBlobList(made.c1), local: encodeKeptCoefficients(made.kept) };
    });
    const products = { c1: decodeBlobList(entry.payload, 'own gradient products', step.columns.length), kept: decodeKeptCoefficients(context, entry.local ?? new Uint8Array(0)) };
    this.options.logger?.info({ epoch: step.epoch, batch: step.batch, products: products.c1.length }, 'gradient products posted');
    const own = await coefficientShares(context, this.options.secretShare, products.c1, { smudgingSigmaBits: this.options.coefficientSmudgingBits, budget: this.options.coefficientBudget });
    const peers = parties.filter((party) => party !== me);
    const peerShares = await Promise.all(
      peers.map(async (peer) => {
        const message = await channel.receive('coefficient-shares', { epoch: step.epoch, batch: step.batch, owner: me, sender: peer, recipient: me });
        const inner = openSealed(this.options.sealingKey, message.payload, sealedContext(jobId, message.address));
        if (inner.length !== COEFFICIENT_SHARE_BYTES * products.c1.length) throw new CiphertextError(`"${peer}" sent ${inner.length / COEFFICIENT_SHARE_BYTES} coefficient shares for ${products.c1.length} products`);
        return Array.from({ length: products.c1.length }, (_, index) => inner.subarray(index * COEFFICIENT_SHARE_BYTES, (index + 1) * COEFFICIENT_SHARE_BYTES));
      }),
    );
    const sums = combineCoefficientShares(context, products.kept, own, peerShares, { featureScaleBits: this.options.featureScaleBits, expectedParties: parties.length });
    return Float64Array.from(sums);
  }

  async serveGradientRequests(channel: VerticalChannel, epoch: number, batch: number): Promise<void> {
    const { context, me, parties, jobId } = this.options;
    await Promise.all(
      parties
        .filter((owner) => owner !== me)
        .map(async (owner) => {
          const declared = this.options.featureCounts.get(owner) ?? 0;
          const message = await channel.receive('gradient-products', { epoch, batch, owner, sender: owner });
          // Decoded up to the list bound, so asking for more than declared is refused below as a custody decision.
          const c1s = decodeBlobList(message.payload, `${owner}'s gradient products`, MAX_PRODUCTS);
          // Exactly one product per declared feature: each share reveals one linear functional of d.
          if (c1s.length !== declared) throw new KeyCustodyError(`"${owner}" asked for ${c1s.length} coefficient decryptions in batch ${batch}; it declared ${declared} features`);
          const address = verticalAddress('coefficient-shares', { epoch, batch, owner, sender: me, recipient: owner });
          const recipientKey = this.options.sealingPublicKeys.get(owner);
          if (!recipientKey) throw new KeyCustodyError(`no sealing key from "${owner}"`);
          await channel.sendOnce('coefficient-shares', { epoch, batch, owner, recipient: owner }, async () => {
            const shares = await coefficientShares(context, this.options.secretShare, c1s, { smudgingSigmaBits: this.options.coefficientSmudgingBits, budget: this.options.coefficientBudget });
            const inner = new Uint8Array(Buffer.concat(shares));
            return { payload: sealTo(recipientKey, inner, sealedContext(jobId, address)), inner };
          });
        }),
    );
  }

  async revealScores(channel: VerticalChannel, position: { epoch: number; batch: number }, scoreSum: Uint8Array, length: number): Promise<Float64Array | undefined> {
    const { context, me, parties, jobId, labelHolder } = this.options;
    const items = decodeBlobList(scoreSum, 'score sum', 4_096);
    if (me !== labelHolder) {
      const address = verticalAddress('score-shares', { ...position, sender: me, recipient: labelHolder });
      const bankKey = this.options.sealingPublicKeys.get(labelHolder);
      if (!bankKey) throw new KeyCustodyError(`no sealing key from the label holder "${labelHolder}"`);
      await channel.sendOnce('score-shares', { ...position, recipient: labelHolder }, async () => {
        const inner = encodeBlobList(await this.scoreShares(items));
        return { payload: sealTo(bankKey, inner, sealedContext(jobId, address)), inner };
      });
      return undefined;
    }
    const peerShares = await Promise.all(
      parties
        .filter((party) => party !== me)
        .map(async (peer) => {
          const message = await channel.receive('score-shares', { ...position, sender: peer, recipient: me });
          return decodeBlobList(openSealed(this.options.sealingKey, message.payload, sealedContext(jobId, message.address)), `${peer}'s score shares`, items.length);
        }),
    );
    return combineDecryptionShares(context, items, [await this.scoreShares(items), ...peerShares], length);
  }

  private scoreShares(items: readonly Uint8Array[]): Promise<Uint8Array[]> {
    return createDecryptionShare(this.options.context, this.options.secretShare, items, { smudgingSigmaBits: this.options.scoreSmudgingBits, budget: this.options.scoreBudget });
  }

  [Symbol.dispose](): void {
    this.options.secretShare.fill(0);
    this.options.session.dispose();
  }
}
