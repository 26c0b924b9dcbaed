import type { AggregateLayout, FinalizedAggregate } from '../../protocols/aggregation/encrypted-sum-aggregator.js';
import { PlaintextSumAggregator, type PlaintextAggregate } from '../../protocols/aggregation/plaintext-sum-aggregator.js';
import type { AggregateReady } from '../round-types.js';
import type { CoordinatorCustody, CustodyContext } from './coordinator-custody.js';
import { withoutJointDecryption } from './without-joint-decryption.js';

/** Custody none: homomorphic encryption off (the benchmark baseline); updates and sums are in the clear. */
export class PlaintextCustody implements CoordinatorCustody {
  readonly participantsNeeded: number;
  readonly encryptsUpdates = false;
  readonly nodesReportEvaluations = false;
  readonly submitKeySetup = withoutJointDecryption.submitKeySetup;
  readonly openDecryptionShare = withoutJointDecryption.openDecryptionShare;
  readonly contributionsFor = withoutJointDecryption.contributionsFor;
  readonly awaitsDecryptionShareFrom = withoutJointDecryption.awaitsDecryptionShareFrom;

  constructor(private readonly context: CustodyContext) {
    this.participantsNeeded = context.job.federation.minParticipants;
    context.logger.warn({ jobId: context.job.jobId }, 'custody none: homomorphic encryption is OFF; every update arrives unencrypted (benchmark baseline)');
  }

  async setUpKeys(): Promise<void> {}

  createAggregator(layout: AggregateLayout): PlaintextSumAggregator {
    return new PlaintextSumAggregator(layout, this.context.session.valuesPerCiphertext);
  }

  checkUpdate(): undefined {
    return undefined;
  }

  /** The sum is in the clear already; it is published as a decrypted one would be. */
  async publish(ready: AggregateReady, aggregate: FinalizedAggregate | PlaintextAggregate): Promise<Float64Array> {
    if (!('values' in aggregate)) throw new Error('custody none sums in the clear; an encrypted aggregate cannot occur');
    this.context.published.publishDecrypted(ready.kind, ready.round, aggregate.values);
    this.context.roster.broadcast({ type: 'aggregate-decrypted', ...ready });
    return aggregate.values;
  }

  dispose(): void {}
}
