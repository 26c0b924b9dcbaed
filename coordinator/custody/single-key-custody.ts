import type { AggregateLayout, EncryptedSumAggregator, FinalizedAggregate } from '../../protocols/aggregation/encrypted-sum-aggregator.js';
import type { PlaintextAggregate } from '../../protocols/aggregation/plaintext-sum-aggregator.js';
import type { AggregateReady } from '../round-types.js';
import type { CoordinatorCustody, CustodyContext } from './coordinator-custody.js';
import { withoutJointDecryption } from './without-joint-decryption.js';

/**
 * Single-key custody: every node holds the one secret key, so the coordinator publishes the
 * encrypted sum and the nodes decrypt it (and report the round's evaluation figures) themselves.
 */
export class SingleKeyCustody implements CoordinatorCustody {
  readonly participantsNeeded: number;
  readonly encryptsUpdates = true;
  readonly nodesReportEvaluations = true;
  readonly submitKeySetup = withoutJointDecryption.submitKeySetup;
  readonly openDecryptionShare = withoutJointDecryption.openDecryptionShare;
  readonly contributionsFor = withoutJointDecryption.contributionsFor;
  readonly awaitsDecryptionShareFrom = withoutJointDecryption.awaitsDecryptionShareFrom;

  constructor(private readonly context: CustodyContext) {
    this.participantsNeeded = context.job.federation.minParticipants;
  }

  async setUpKeys(): Promise<void> {}

  createAggregator(layout: AggregateLayout): EncryptedSumAggregator {
    return this.context.strategy.createAggregator(this.context.session, layout, { retainContributions: false });
  }

  checkUpdate(): undefined {
    return undefined;
  }

  async publish(ready: AggregateReady, aggregate: FinalizedAggregate | PlaintextAggregate): Promise<undefined> {
    if (!('chunks' in aggregate)) throw new Error('single-key custody sums ciphertexts; a plaintext aggregate cannot occur');
    this.context.published.publishEncrypted(ready.kind, ready.round, aggregate.chunks);
    this.context.roster.broadcast({ type: 'aggregate-ready', ...ready });
    return undefined;
  }

  dispose(): void {}
}
