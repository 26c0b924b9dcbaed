import type { Coordinator } from '../coordinator.js';
import type { AuditStatus } from './dashboard-view.js';

/**
 * Counts refusals (from the coordinator's observations and the transport's certificate checks) and
 * reads the ingress ledger's head, for the dashboard's audit panel.
 */
export function trackAuditStatus(
  coordinator: Coordinator,
  options: {
    readonly mutualTls: boolean;
    readonly federationId: string | null;
    readonly ingressLedger?: { readonly path: string; head(): { records: number; lastRecordHash: string } } | undefined;
  },
): { status(): AuditStatus; peerRefused(): void; dispose(): void } {
  const refusals = { update: 0, 'decryption-share': 0, 'key-setup': 0, peer: 0 };
  const unsubscribe = coordinator.observe((observation) => {
    if (observation.type === 'refused') refusals[observation.what] += 1;
  });
  return {
    status: () => ({
      mutualTls: options.mutualTls,
      federationId: options.federationId,
      ingressLedger: options.ingressLedger ? { path: options.ingressLedger.path, ...options.ingressLedger.head() } : null,
      refusals: { ...refusals },
    }),
    peerRefused: () => {
      refusals.peer += 1;
    },
    dispose: unsubscribe,
  };
}
