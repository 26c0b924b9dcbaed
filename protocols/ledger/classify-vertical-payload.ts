import type { CkksParameters } from '../ckks/ckks-parameters.js';
import { decodeBlobList } from '../vertical/blob-list.js';
import { addressKey } from '../vertical/vertical-address.js';
import type { VerticalMessage } from '../vertical/vertical-wire.js';
import { looksLikeShare, type EgressClassification, type MetadataFields } from './classify-egress.js';

/** What a party's egress guard (and an auditor re-judging kept payloads) knows to judge a vertical payload. */
export interface VerticalPayloadContext {
  readonly parameters: CkksParameters;
  readonly isCiphertext: (bytes: Uint8Array) => boolean;
  /** Why bytes are not a list of well-formed blinded PSI elements (at most `maxElements`), or undefined. */
  readonly blindedListProblem: (bytes: Uint8Array) => string | undefined;
  /** Why bytes are not the c1 polynomial of a gradient product under the federation parameters, or undefined. */
  readonly productC1Problem: (bytes: Uint8Array) => string | undefined;
  /** Why bytes (before sealing) are not partial decryptions of `kind`, or undefined. */
  readonly shareProblem: (bytes: Uint8Array, kind: 'coefficient-shares' | 'score-shares') => string | undefined;
  /** Bytes a sealed box adds to what it seals. */
  readonly sealedOverheadBytes: number;
  /** Encryption switched off (custody `none`), allowed in this node's own config. */
  readonly allowPlaintext: boolean;
  readonly maxFeaturesPerParty: number;
}

const METRIC_FIELDS = ['validationAuc', 'validationLoss', 'validationRows'] as const;

function fieldsOf(message: VerticalMessage, extra: MetadataFields = {}): MetadataFields {
  return { address: addressKey(message.address), kind: message.address.kind, payloadBytes: message.payload.length, ...extra };
}

function blobs(message: VerticalMessage, maxItems: number): Uint8Array[] | string {
  try {
    return decodeBlobList(message.payload, message.address.kind, maxItems);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * What one outgoing vertical message is, judged from its whole payload: only fixed-size key-setup
 * values, blinded PSI elements, ciphertexts, c1 polynomials of gradient products, sealed partial
 * decryptions whose sealed content was judged first, and the label holder's bounded metrics may leave.
 */
export function classifyVerticalPayload(message: VerticalMessage, context: VerticalPayloadContext, sealedInner?: Uint8Array | 'unavailable'): EgressClassification {
  const { kind } = message.address;
  const { payload } = message;
  switch (kind) {
    case 'key-seed-commitment':
    case 'key-seed-reveal':
    case 'key-share-commitment':
    case 'sealing-key':
      return payload.length === 32 ? { classification: 'metadata', fields: fieldsOf(message) } : { refused: `a ${kind} value must be 32 bytes, not ${payload.length}` };
    case 'key-public-share':
    {
      const problem = looksLikeShare(payload, context.parameters, 'public-key-share');
      return problem ? { refused: `the public-key share ${problem}` } : { classification: 'ciphertext', fields: fieldsOf(message) };
    }
    case 'psi-blinded': {
      const problem = context.blindedListProblem(payload);
      return problem ? { refused: `PSI list: ${problem}` } : { classification: 'ciphertext', fields: fieldsOf(message, { elements: payload.length / 32 }) };
    }
    case 'forward-part':
    case 'score-part': {
      const items = blobs(message, 4_096);
      if (typeof items === 'string') return { refused: items };
      if (items.every((item) => context.isCiphertext(item))) return { classification: 'ciphertext', fields: fieldsOf(message, { ciphertexts: items.length }) };
      if (context.allowPlaintext && items.every((item) => item.length % 8 === 0)) return { classification: 'plaintext', fields: fieldsOf(message) };
      return { refused: `${kind}: a payload item is not a ciphertext under the federation parameters` };
    }
    case 'gradient-products': {
      const items = blobs(message, context.maxFeaturesPerParty);
      if (typeof items === 'string') return { refused: items };
      for (const [index, item] of items.entries()) {
        const problem = context.productC1Problem(item);
        if (problem) return { refused: `gradient product ${index}: ${problem}` };
      }
      return { classification: 'ciphertext', fields: fieldsOf(message, { products: items.length }) };
    }
    case 'coefficient-shares':
    case 'score-shares': {
      if (!sealedInner) return { refused: `${kind} may leave only sealed, with their content judged first` };
      // An auditor cannot open a box sealed to someone else: it checks the size the content must have.
      if (sealedInner === 'unavailable') {
        const content = payload.length - context.sealedOverheadBytes;
        const plausible = content > 0 && (kind === 'score-shares' || content % 16 === 0);
        return plausible ? { classification: 'ciphertext', fields: fieldsOf(message, { sealedTo: message.address.recipient }) } : { refused: `${kind}: ${payload.length} bytes cannot be a sealed box of shares` };
      }
      const problem = context.shareProblem(sealedInner, kind);
      if (problem) return { refused: `${kind}: ${problem}` };
      if (payload.length !== sealedInner.length + context.sealedOverheadBytes) return { refused: `${kind}: the sealed box is not the size of its judged content` };
      return { classification: 'ciphertext', fields: fieldsOf(message, { sealedTo: message.address.recipient }) };
    }
    case 'epoch-metrics': {
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.from(payload).toString('utf8'));
      } catch {
        return { refused: 'epoch metrics are not JSON' };
      }
      const keys = typeof raw === 'object' && raw !== null ? Object.keys(raw).sort() : [];
      if (payload.length > 256 || keys.join() !== [...METRIC_FIELDS].sort().join() || !METRIC_FIELDS.every((key) => Number.isFinite((raw as Record<string, unknown>)[key]))) {
        return { refused: `epoch metrics must be exactly ${METRIC_FIELDS.join(', ')} as finite numbers` };
      }
      const values = raw as Record<(typeof METRIC_FIELDS)[number], number>;
      return { classification: 'metadata', fields: fieldsOf(message, { ...values }) };
    }
    case 'done':
      return payload.length === 0 ? { classification: 'metadata', fields: fieldsOf(message) } : { refused: 'a done message carries nothing' };
    case 'psi-ranks':
    case 'forward-sum':
    case 'score-sum':
      return { refused: `a party never sends ${kind} (the coordinator makes it)` };
  }
}
