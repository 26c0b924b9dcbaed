import { isMalformedMessage, loadFederationService, type FederationMethodName } from '../../proto/load-federation-service.js';
import { readShareHeader, SHARE_HEADER_BYTES, type ShareKind } from '../ckks/threshold/share-format.js';
import { committeeDigest } from '../ckks/threshold-t-of-n/committee.js';
import { SEALED_SHARE_ENVELOPE_OVERHEAD } from '../ckks/threshold-t-of-n/sealed-shamir-share.js';
import { SEALED_BOX_OVERHEAD } from '../sealed-box/index.js';
import { decodeCanaryShare, decodeShamirParcel } from '../wire/tofn-key-setup-values.js';
import { valuesPerCiphertext } from '../ckks/values-per-ciphertext.js';
import type { CkksParameters } from '../job/job-spec.js';
import {
  parseDecryptionShareChunk,
  parseEvaluationReport,
  parseFailureReport,
  parseFetchAggregateRequest,
  parseJoinRequest,
  parseKeySetupMessage,
  parseUpdateChunk,
} from '../wire/wire-mapping.js';
import type { Parsed } from '../wire/federation-messages.js';
import { scalarFields } from './scalar-fields.js';

/** The plaintext fields a message carries beside its payloads (ids, round, counts, metrics): what an auditor reads. */
export type MetadataFields = Readonly<Record<string, string | number | boolean>>;

export type EgressClassification =
  | { readonly classification: 'ciphertext' | 'metadata' | 'plaintext'; readonly fields: MetadataFields }
  | { readonly refused: string };

export interface EgressContext {
  readonly parameters: CkksParameters;
  readonly isCiphertext: (bytes: Uint8Array) => boolean;
  /**
   * Custody `none` only, and only where the node allowed it: an update payload that is no ciphertext
   * but whole float32 values (at most one chunk of N) is classified "plaintext" instead of refused.
   */
  readonly allowPlaintextUpdates?: boolean;
}

/**
 * A threshold share (public-key share or partial decryption) must look like one: the format header,
 * the federation's ring degree, a whole number of RNS polynomials, and every coefficient below 2^60
 * (all primes are at most 60 bits). This refuses plain data placed where a share should be.
 */
export function looksLikeShare(bytes: Uint8Array, parameters: CkksParameters, kind: ShareKind): string | undefined {
  const header = readShareHeader(bytes);
  if (!header) return 'is not a threshold share';
  if (header.kind !== kind) return 'is a share of another kind';
  const { polyModulusDegree: degree, primeCount: primes } = header;
  if (degree !== parameters.polyModulusDegree || primes < 1 || primes > parameters.coeffModulusBits.length) return 'is a share for other CKKS parameters';
  if (bytes.length !== SHARE_HEADER_BYTES + degree * primes * 8) return 'has the wrong size for its header';
  for (let offset = SHARE_HEADER_BYTES + 7; offset < bytes.length; offset += 8) {
    if (((bytes[offset] as number) & 0xf0) !== 0) return 'holds values that are not residues modulo the federation primes';
  }
  return undefined;
}

function fromParsed(result: Parsed<object>, classification: 'ciphertext' | 'metadata'): EgressClassification {
  return result.success ? { classification, fields: scalarFields(result.data) } : { refused: result.reason };
}

/**
 * What one outgoing message of a participant is, judged only from its exact bytes: a protocol message
 * whose fields are within their bounds and whose payloads are ciphertexts (or threshold shares) under
 * the federation's parameters. Anything else is refused, with the reason naming the field.
 */
export function classifyEgress(
  method: string,
  bytes: Uint8Array,
  context: EgressContext,
): EgressClassification {
  const service = loadFederationService();
  const definition = service[method as FederationMethodName];
  if (!definition) return { refused: `"${method}" is not a message of the HEFL protocol` };
  let message: unknown;
  try {
    message = definition.requestDeserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    return { refused: `not a valid ${method} message (${error instanceof Error ? error.message : String(error)})` };
  }
  if (isMalformedMessage(message)) return { refused: `not a valid ${method} message` };
  // A decoder drops unknown fields and keeps only the last copy of a repeated one; the bytes still
  // carry them. Only the canonical encoding of what was decoded may leave.
  const canonical = definition.requestSerialize(message as never);
  if (Buffer.compare(canonical, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) !== 0) {
    return { refused: `the ${method} message carries bytes outside its declared fields (unknown, repeated or non-canonical fields)` };
  }
  switch (method as FederationMethodName) {
    case 'Join':
      return fromParsed(parseJoinRequest(message as never), 'metadata');
    case 'FetchAggregate':
    case 'FetchDecryptedAggregate':
    case 'FetchContributions':
      return fromParsed(parseFetchAggregateRequest(message as never), 'metadata');
    case 'ReportEvaluation':
      return fromParsed(parseEvaluationReport(message as never), 'metadata');
    case 'ReportFailure':
      // A code and a phase from closed lists and a round number: bounded metadata, no text field exists.
      return fromParsed(parseFailureReport(message as never), 'metadata');
    case 'SubmitUpdate': {
      const chunk = parseUpdateChunk(message as never);
      if (!chunk.success) return { refused: chunk.reason };
      if (context.isCiphertext(chunk.data.ciphertext)) return { classification: 'ciphertext', fields: scalarFields(chunk.data) };
      const payload = chunk.data.ciphertext;
      if (context.allowPlaintextUpdates && payload.length % 4 === 0 && payload.length <= 4 * valuesPerCiphertext(context.parameters)) {
        return { classification: 'plaintext', fields: scalarFields(chunk.data) };
      }
      return { refused: 'SubmitUpdate.ciphertext is not a SEAL ciphertext under the federation parameters' };
    }
    case 'SubmitDecryptionShare': {
      const chunk = parseDecryptionShareChunk(message as never);
      if (!chunk.success) return { refused: chunk.reason };
      const problem = looksLikeShare(chunk.data.share, context.parameters, 'decryption-share');
      if (problem) return { refused: `SubmitDecryptionShare.share ${problem}` };
      // The c1 each share decrypts and the set it was released for: an auditor checks one set per c1.
      const { c1Sha256, contributorsSha256, committeeSha256 } = chunk.data;
      return {
        classification: 'ciphertext',
        fields: {
          ...scalarFields(chunk.data),
          c1Sha256: Buffer.from(c1Sha256).toString('hex'),
          ...(contributorsSha256 ? { contributorsSha256: Buffer.from(contributorsSha256).toString('hex') } : {}),
          ...(committeeSha256 ? { committeeSha256: Buffer.from(committeeSha256).toString('hex') } : {}),
        },
      };
    }
    case 'SubmitKeySetup': {
      const setup = parseKeySetupMessage(message as never);
      if (!setup.success) return { refused: setup.reason };
      if (setup.data.step === 'public-share') {
        const problem = looksLikeShare(setup.data.value, context.parameters, 'public-key-share');
        return problem ? { refused: `SubmitKeySetup.value ${problem}` } : { classification: 'ciphertext', fields: scalarFields(setup.data) };
      }
      if (setup.data.step === 'shamir-share' || setup.data.step === 'canary-share') return classifyTofnKeySetup(setup.data.step, setup.data.value, context, scalarFields(setup.data));
      // Commitments and seeds are 32 bytes; nothing else may ride in them.
      if (setup.data.value.length !== 32) return { refused: `SubmitKeySetup.value of a ${setup.data.step} must be 32 bytes, not ${setup.data.value.length}` };
      return { classification: 'metadata', fields: scalarFields(setup.data) };
    }
  }
  return { refused: `"${method}" is not a message a participant sends` };
}

/**
 * t-of-N key setup values (protocols/wire/tofn-key-setup-values.ts), judged from their bytes: a Shamir
 * parcel holds one sealed envelope of exactly one key-level share's size and canaries that are SEAL
 * ciphertexts under the federation's parameters; a canary share is one decryption share.
 */
function classifyTofnKeySetup(step: 'shamir-share' | 'canary-share', value: Uint8Array, context: EgressContext, scalars: MetadataFields): EgressClassification {
  if (step === 'canary-share') {
    const canary = decodeCanaryShare(value);
    if (!canary.success) return { refused: `SubmitKeySetup.value ${canary.reason}` };
    const problem = looksLikeShare(canary.data.share, context.parameters, 'decryption-share');
    if (problem) return { refused: `SubmitKeySetup.value: the canary share ${problem}` };
    return { classification: 'ciphertext', fields: { ...scalars, c1Sha256: canary.data.c1Sha256, committeeSha256: committeeDigest(canary.data.committee) } };
  }
  const parcel = decodeShamirParcel(value);
  if (!parcel.success) return { refused: `SubmitKeySetup.value ${parcel.reason}` };
  const { polyModulusDegree, coeffModulusBits } = context.parameters;
  const envelopeBytes = SEALED_SHARE_ENVELOPE_OVERHEAD + SEALED_BOX_OVERHEAD + SHARE_HEADER_BYTES + polyModulusDegree * coeffModulusBits.length * 8;
  if (parcel.data.envelope.length !== envelopeBytes) {
    return { refused: `SubmitKeySetup.value: the sealed Shamir share has ${parcel.data.envelope.length} bytes, not the ${envelopeBytes} of one sealed key-level share` };
  }
  if (parcel.data.canaries.some((canary) => !context.isCiphertext(canary.ciphertext))) return { refused: 'SubmitKeySetup.value: a canary is not a SEAL ciphertext under the federation parameters' };
  return { classification: 'ciphertext', fields: { ...scalars, to: parcel.data.to, canaries: parcel.data.canaries.length } };
}
