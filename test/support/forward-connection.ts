import type { FederationConnection } from '../../participant/federation-connection.js';

/** A connection that forwards every call, so a fault-injecting wrapper can override just one. */
export function forwardConnection(connection: FederationConnection): FederationConnection {
  return {
    join: (request) => connection.join(request),
    submitUpdate: (chunks) => connection.submitUpdate(chunks),
    fetchAggregate: (request) => connection.fetchAggregate(request),
    reportEvaluation: (report) => connection.reportEvaluation(report),
    reportFailure: (report) => connection.reportFailure(report),
    submitKeySetup: (message) => connection.submitKeySetup(message),
    submitDecryptionShare: (chunks) => connection.submitDecryptionShare(chunks),
    fetchDecryptedAggregate: (request) => connection.fetchDecryptedAggregate(request),
    fetchContributions: (request) => connection.fetchContributions(request),
    close: () => connection.close(),
  };
}
