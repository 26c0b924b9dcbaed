import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import type { Logger } from 'pino';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { HeflError } from '../protocols/errors.js';
import type { CkksParameters } from '../protocols/job/job-spec.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import type { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import type { EgressRecord } from './federation-connection.js';

/**
 * The only way out of a participant: every serialized message is classified from its exact bytes
 * (protocol message, bounded fields, ciphertext payloads under the federation's parameters) and
 * written to the signed ledger before it may reach the socket. A refused message is recorded as
 * refused and never sent.
 */
export class EgressGuard implements Disposable {
  private constructor(
    private readonly ledger: LedgerWriter,
    private readonly parameters: CkksParameters,
    private readonly session: CkksSession,
    private readonly logger: Logger | undefined,
    private readonly allowPlaintextUpdates: boolean,
  ) {}

  /**
   * `allowPlaintextUpdates`: custody `none` only, set from the node's own config: unencrypted update
   * chunks may leave (recorded as "plaintext"). Everything else is checked as always.
   */
  static async create(ledger: LedgerWriter, parameters: CkksParameters, logger?: Logger, options: { allowPlaintextUpdates?: boolean } = {}): Promise<EgressGuard> {
    return new EgressGuard(ledger, parameters, await CkksSession.create(parameters), logger, options.allowPlaintextUpdates ?? false);
  }

  /** Use as the connection's onEgress hook: throws (so nothing is sent) when the message is refused. */
  check(record: EgressRecord): void {
    const verdict = classifyEgress(record.method, record.bytes, {
      parameters: this.parameters,
      allowPlaintextUpdates: this.allowPlaintextUpdates,
      isCiphertext: ciphertextProbe(this.session, 'outgoing payload'),
    });
    if ('refused' in verdict) {
      this.ledger.recordBytes('egress', record.method, record.bytes, 'refused', verdict.refused);
      this.logger?.error({ messageType: record.method, reason: verdict.refused }, 'egress guard refused a message; it was not sent');
      throw new HeflError('PROTOCOL_VIOLATION', `egress guard refused a ${record.method} message: ${verdict.refused}`);
    }
    this.ledger.recordBytes('egress', record.method, record.bytes, verdict.classification, undefined, undefined, verdict.fields);
  }

  [Symbol.dispose](): void {
    this.session.dispose();
  }
}
