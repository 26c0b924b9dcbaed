import { loadFederationService, type FederationMethodName } from '../../proto/load-federation-service.js';
import type { LedgerEntry } from './ledger-record.js';
import { scalarFields } from './scalar-fields.js';

type Classification = LedgerEntry['classification'];

const CIPHERTEXT_RESPONSES = new Set<string>(['FetchAggregate', 'FetchContributions']);

/** Strings in a response's fields are cut to this many characters. */
const MAX_FIELD_STRING = 200;

/**
 * What one message the coordinator sent is, for its own ledger: ciphertext (aggregate and relayed
 * contribution chunks, which must load as ciphertexts), the published decrypted aggregate, or
 * metadata (events and receipts), with its plaintext fields.
 */
export function classifyCoordinatorResponse(
  method: FederationMethodName,
  bytes: Uint8Array,
  isCiphertext: (payload: Uint8Array) => boolean,
): { classification: Classification; fields: Record<string, string | number | boolean>; problem?: string } {
  const definition = loadFederationService()[method];
  let decoded: object;
  try {
    decoded = definition.responseDeserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as object;
  } catch (error) {
    return { classification: 'refused', fields: {}, problem: `the coordinator produced an undecodable ${method} response: ${error instanceof Error ? error.message : String(error)}` };
  }
  const fields = scalarFields(decoded, MAX_FIELD_STRING);
  if (CIPHERTEXT_RESPONSES.has(method)) {
    const ciphertext = (decoded as { ciphertext?: unknown }).ciphertext;
    if (!(ciphertext instanceof Uint8Array) || !isCiphertext(ciphertext)) {
      return { classification: 'refused', fields, problem: `a ${method} response whose payload is not a ciphertext under the federation parameters` };
    }
    return { classification: 'ciphertext', fields };
  }
  if (method === 'FetchDecryptedAggregate') return { classification: 'aggregate', fields };
  return { classification: 'metadata', fields };
}
