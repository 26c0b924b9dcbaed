import { loadFederationService, type FederationMethodName } from '../../proto/load-federation-service.js';
import type { LedgerEntry } from './ledger-record.js';

type Classification = LedgerEntry['classification'];

const CIPHERTEXT_RESPONSES = new Set<string>(['FetchAggregate', 'FetchContributions']);

/** Scalar fields of a decoded response (nested messages flattened, strings cut to 200 characters); byte payloads are not listed. */
function scalarFields(message: object, prefix = ''): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(message)) {
    if (typeof value === 'string') fields[`${prefix}${name}`] = value.slice(0, 200);
    else if (typeof value === 'number' || typeof value === 'boolean') fields[`${prefix}${name}`] = value;
    else if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array) && !Array.isArray(value)) {
      Object.assign(fields, scalarFields(value as object, `${prefix}${name}.`));
    }
  }
  return fields;
}

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
  const fields = scalarFields(decoded);
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
