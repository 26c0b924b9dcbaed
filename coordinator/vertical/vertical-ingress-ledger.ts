import { createHash } from 'node:crypto';
import type { VerticalMethodName } from '../../proto/load-vertical-service.js';
import { MAX_REFUSED_BECAUSE, type LedgerRecord } from '../../protocols/ledger/ledger-record.js';
import type { LedgerWriter } from '../../protocols/ledger/ledger-writer.js';
import type { VerticalKind } from '../../protocols/vertical/vertical-address.js';
import { parseVerticalChunk } from '../../protocols/vertical/vertical-wire.js';

/** Kinds whose payloads are fixed-size values or bounded figures, not ciphertexts or blinded elements. */
const METADATA_KINDS: ReadonlySet<VerticalKind> = new Set(['key-seed-commitment', 'key-seed-reveal', 'key-share-commitment', 'sealing-key', 'epoch-metrics', 'done']);

/** Who sent a request and what became of it, once the server knows. */
export interface VerticalIngressOutcome {
  readonly sender: string | undefined;
  readonly authenticated: boolean;
  readonly refused?: string | undefined;
}

/**
 * The vertical coordinator's ingress ledger: every request's exact bytes (each chunk of a posted
 * message on its own, as the party's egress ledger has it), who sent it (the certificate's party under
 * mutual TLS) and whether it was refused, signed and hash-chained, so `hefl audit verify` can match
 * what each party sent with what arrived.
 */
export function verticalIngressRecorder(writer: LedgerWriter): (method: VerticalMethodName, bytes: Uint8Array, decoded: object) => (outcome: VerticalIngressOutcome) => void {
  return (method, bytes, decoded) => {
    const time = new Date().toISOString();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let classification: LedgerRecord['classification'] = 'metadata';
    let metadataFields: Record<string, string | number> | undefined;
    if (method === 'PostVertical') {
      const chunk = parseVerticalChunk(decoded as never);
      if (!chunk.success) classification = 'refused';
      else {
        classification = METADATA_KINDS.has(chunk.data.address.kind) ? 'metadata' : 'ciphertext';
        metadataFields = { kind: chunk.data.address.kind, chunkIndex: chunk.data.chunkIndex, chunkCount: chunk.data.chunkCount };
      }
    }
    return (outcome) => {
      writer.append({
        time,
        direction: 'ingress',
        messageType: method,
        size: bytes.length,
        sha256,
        classification,
        ...(outcome.sender ? { peer: outcome.sender } : {}),
        peerAuthenticated: outcome.authenticated,
        ...(outcome.refused !== undefined ? { refused: true, refusedBecause: outcome.refused.slice(0, MAX_REFUSED_BECAUSE) } : {}),
        ...(metadataFields ? { metadataFields } : {}),
      });
    };
  };
}
