import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import { createHash } from 'node:crypto';
import type { CkksSession } from '../protocols/ckks/ckks-session.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import { MAX_REFUSED_BECAUSE } from '../protocols/ledger/ledger-record.js';
import type { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import type { IngressRecorder } from './ingress-outcome.js';

/**
 * The coordinator's ingress ledger as a server `onRequestReceived` hook: each request is judged on
 * arrival (so no payload is kept) and written once the server knows who sent it (the certificate's
 * participant under mutual TLS) and whether it was refused. `classifier` is a key-less session.
 */
export function ingressLedgerRecorder(
  writer: LedgerWriter,
  job: JobSpec,
  classifier: CkksSession,
): (method: string, bytes: Uint8Array, decoded: object) => IngressRecorder {
  return (method, bytes) => {
    const verdict = classifyEgress(method, bytes, {
      parameters: job.ckks,
      // Custody none: unencrypted updates arrive by design; they are recorded as what they are.
      allowPlaintextUpdates: job.custody.mode === 'none',
      isCiphertext: ciphertextProbe(classifier, 'arriving payload'),
    });
    const time = new Date().toISOString();
    const size = bytes.length;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return (outcome) => {
      writer.append({
        time,
        direction: 'ingress',
        messageType: method,
        size,
        sha256,
        classification: 'refused' in verdict ? 'refused' : verdict.classification,
        ...('refused' in verdict ? { refusalReason: verdict.refused } : {}),
        ...(outcome.sender ? { peer: outcome.sender } : {}),
        peerAuthenticated: outcome.authenticated,
        ...(outcome.claimed ? { claimedPeer: outcome.claimed } : {}),
        ...(outcome.refused !== undefined ? { refused: true, refusedBecause: outcome.refused.slice(0, MAX_REFUSED_BECAUSE) } : {}),
        ...(!('refused' in verdict) && verdict.fields ? { metadataFields: verdict.fields } : {}),
      });
    };
  };
}
