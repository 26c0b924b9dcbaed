import type { KeyObject } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { JoinRequest, Receipt } from '../../protocols/wire/federation-messages.js';
import { PROTOCOL_VERSION } from '../../protocols/wire/federation-messages.js';
import { COORDINATOR_SENDER, addressKey, verticalAddress, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import { labelHolder, type VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import { fetchRefusal, postRefusal, psiRing, type VerticalRoster } from '../../protocols/vertical/vertical-rules.js';
import { verifyVerticalMessage } from '../../protocols/vertical/vertical-signing.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import { encodeRanks } from '../../protocols/psi/ranks.js';
import { VerticalMailbox } from './vertical-mailbox.js';
import type { VerticalSum } from './vertical-sum.js';

/** What the coordinator sends down a party's join stream. */
export type VerticalNotice =
  | { readonly type: 'job-accepted'; readonly job: VerticalJobSpec }
  | { readonly type: 'job-finished'; readonly epochs: number }
  | { readonly type: 'job-failed'; readonly reason: string };

export interface VerticalNoticeSink {
  send(notice: VerticalNotice): void;
  close(): void;
}

/** The label holder's figures for one epoch, as it reported them (bounded metadata). */
export interface VerticalEpochMetrics {
  readonly epoch: number;
  readonly validationAuc: number;
  readonly validationLoss: number;
  readonly validationRows: number;
}

export interface VerticalJobReport {
  readonly jobId: string;
  readonly status: 'finished' | 'failed';
  readonly reason?: string;
  readonly parties: readonly string[];
  /** Customers in every party's list (the coordinator sees only this count, never an id). */
  readonly intersectionSize?: number;
  /** Customers scored for the label holder after training (job `scoring`). */
  readonly scoredCustomers?: number;
  readonly epochs: readonly VerticalEpochMetrics[];
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly messagesRelayed: number;
  /** Identical messages posted again (a party restarted mid-step re-sends what it had sent). */
  readonly duplicatesAccepted: number;
  readonly seconds: number;
}

export interface VerticalCoordinatorOptions {
  readonly job: VerticalJobSpec;
  /** Every party's Ed25519 identity (from the key folder's roster): signatures are checked on every post. */
  readonly identities: ReadonlyMap<string, KeyObject>;
  /** The key folder's fingerprint; a party with other key material is refused at join. */
  readonly keyFingerprint: string;
  readonly sum: VerticalSum;
  /** Intersects the fully blinded PSI lists: per party, per position, the common rank or -1. */
  readonly intersect: (lists: ReadonlyMap<string, Uint8Array>) => Map<string, Int32Array>;
  readonly logger?: Logger;
  readonly onEpochMetrics?: (metrics: VerticalEpochMetrics) => void;
}

/**
 * The coordinator of a vertical job, independent of any transport. It relays signed messages between
 * the parties under the rules of protocols/vertical/vertical-rules.ts, adds the parties' encrypted
 * forward parts and scores (custody seam: VerticalSum), and intersects the fully blinded PSI lists.
 * It holds no key: it never reads a value, an id, a gradient or a label.
 */
export class VerticalCoordinator {
  private readonly mailbox = new VerticalMailbox();
  private readonly roster: VerticalRoster;
  private readonly sinks = new Map<string, VerticalNoticeSink>();
  private readonly done = new Set<string>();
  private readonly epochs: VerticalEpochMetrics[] = [];
  private readonly seenNonces = new Set<string>();
  private readonly logger: Logger;
  private readonly started = Date.now();
  private intersectionSize: number | undefined;
  private scoringSize: number | undefined;
  private outcome: VerticalJobReport | undefined;
  private resolveFinished!: (report: VerticalJobReport) => void;
  readonly finished: Promise<VerticalJobReport>;
  private stepTimer: NodeJS.Timeout | undefined;
  private bytesReceived = 0;
  private bytesSent = 0;
  private messagesRelayed = 0;
  private duplicatesAccepted = 0;

  constructor(private readonly options: VerticalCoordinatorOptions) {
    const { job } = options;
    this.roster = { parties: job.parties.map((party) => party.id), labelHolder: labelHolder(job).id };
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    this.armDeadline(job.federation.joinDeadlineSeconds, 'not every party joined in time');
  }

  get job(): VerticalJobSpec {
    return this.options.job;
  }

  join(request: JoinRequest, sink: VerticalNoticeSink): Receipt {
    const { job } = this.options;
    if (this.outcome) return { accepted: false, reason: `job ${job.jobId} is already ${this.outcome.status}` };
    if (request.jobId !== job.jobId) return { accepted: false, reason: `this coordinator runs job "${job.jobId}", not "${request.jobId}"` };
    if (request.protocolVersion !== PROTOCOL_VERSION) return { accepted: false, reason: `protocol version ${request.protocolVersion} is not ${PROTOCOL_VERSION}` };
    if (!this.roster.parties.includes(request.participantId)) return { accepted: false, reason: `"${request.participantId}" is not a party of job ${job.jobId}` };
    if (request.keyFingerprint !== this.options.keyFingerprint) return { accepted: false, reason: `"${request.participantId}" has other key material than this job (key fingerprint differs)` };
    this.sinks.get(request.participantId)?.close();
    this.sinks.set(request.participantId, sink);
    sink.send({ type: 'job-accepted', job });
    this.logger.info({ participantId: request.participantId, joined: this.sinks.size, parties: this.roster.parties.length }, 'party joined');
    if (this.sinks.size === this.roster.parties.length) this.armDeadline(job.federation.stepDeadlineSeconds, 'no party made progress in time');
    return { accepted: true };
  }

  leave(participantId: string, sink: VerticalNoticeSink): void {
    if (this.sinks.get(participantId) === sink) this.sinks.delete(participantId);
  }

  /** A signed message from a party: checked (nonce, rules, signature), stored, and what it completes is made. */
  post(sender: string, message: VerticalMessage, nonce: Uint8Array, receivedBytes: number): Receipt {
    this.bytesReceived += receivedBytes;
    if (this.outcome) return { accepted: false, reason: `job ${this.options.job.jobId} is already ${this.outcome.status}` };
    const refusal = postRefusal(this.roster, sender, message.address);
    if (refusal) return { accepted: false, reason: refusal };
    const nonceKey = `${sender}:${Buffer.from(nonce).toString('hex')}`;
    if (this.seenNonces.has(nonceKey)) return { accepted: false, reason: 'replayed message (nonce seen before)' };
    const identity = this.options.identities.get(sender);
    if (!identity || !verifyVerticalMessage(identity, this.options.job.jobId, message.address, message.payload, message.signature)) {
      return { accepted: false, reason: `the signature of "${sender}" over ${addressKey(message.address)} does not verify` };
    }
    const stored = this.mailbox.put(message);
    if (typeof stored === 'object') return { accepted: false, reason: stored.refused };
    this.seenNonces.add(nonceKey);
    if (stored === 'duplicate') this.duplicatesAccepted += 1;
    if (stored === 'stored') {
      this.messagesRelayed += 1;
      this.armDeadline(this.options.job.federation.stepDeadlineSeconds, 'no party made progress in time');
      try {
        this.complete(message.address);
      } catch (error) {
        this.fail(`${addressKey(message.address)} could not be combined: ${error instanceof Error ? error.message : String(error)}`);
        return { accepted: false, reason: error instanceof Error ? error.message : String(error) };
      }
    }
    return { accepted: true };
  }

  /** Why `requester` may not fetch `address` (the rules), or undefined. */
  fetchRefusal(requester: string, address: VerticalAddress): string | undefined {
    return fetchRefusal(this.roster, requester, address);
  }

  /** The message at `address` once it exists, if `requester` may read it. */
  async fetch(requester: string, address: VerticalAddress, signal?: AbortSignal): Promise<VerticalMessage> {
    const refusal = fetchRefusal(this.roster, requester, address);
    if (refusal) throw new FetchRefusedError(refusal);
    const message = await this.mailbox.wait(address, signal);
    this.bytesSent += message.payload.length;
    return message;
  }

  /** Makes what a newly stored message completes: PSI ranks, forward sums, score sums, the job's end. */
  private complete(address: VerticalAddress): void {
    const { parties } = this.roster;
    const from = (kind: 'forward-part' | 'score-part', sender: string): VerticalAddress => verticalAddress(kind, { epoch: address.epoch, batch: address.batch, sender });
    if (address.kind === 'psi-blinded' && address.hop === parties.length - 1) {
      const finals = parties.map((owner) => this.mailbox.get(verticalAddress('psi-blinded', { owner, hop: parties.length - 1, batch: address.batch, sender: psiRing(this.roster, owner)[parties.length - 1] as string })));
      if (finals.some((message) => !message)) return;
      const ranks = this.options.intersect(new Map(parties.map((owner, index) => [owner, (finals[index] as VerticalMessage).payload])));
      let size = 0;
      for (const [owner, ownerRanks] of ranks) {
        size = ownerRanks.reduce((count, rank) => count + (rank >= 0 ? 1 : 0), 0);
        this.makeMessage(verticalAddress('psi-ranks', { owner, recipient: owner, batch: address.batch }), encodeRanks(ownerRanks));
      }
      // Round 0 aligns the training customers; round 1 the customers the label holder asked to score.
      if (address.batch === 0) this.intersectionSize = size;
      else this.scoringSize = size;
      this.logger.info({ intersectionSize: size, round: address.batch === 0 ? 'training' : 'scoring', ...this.byteCounters() }, 'private set intersection complete');
    } else if (address.kind === 'forward-part' || address.kind === 'score-part') {
      const parts = parties.map((sender) => this.mailbox.get(from(address.kind as 'forward-part', sender)));
      if (parts.some((part) => !part)) return;
      const sum = this.options.sum.sum(parts.map((part) => (part as VerticalMessage).payload), `${address.kind} of epoch ${address.epoch} batch ${address.batch}`);
      this.makeMessage(verticalAddress(address.kind === 'forward-part' ? 'forward-sum' : 'score-sum', { epoch: address.epoch, batch: address.batch }), sum);
      // Every party has posted this batch's part, so every party is done with all earlier steps (a party
      // restarted now resumes at this batch): their messages are no longer needed.
      if (address.kind === 'forward-part') this.mailbox.prune((kept) => !finishedBefore(kept, address.epoch, address.batch));
    } else if (address.kind === 'epoch-metrics') {
      this.recordMetrics(address.epoch, this.mailbox.get(address)?.payload);
    } else if (address.kind === 'done') {
      this.done.add(address.sender);
      if (this.done.size === parties.length) this.finish({ status: 'finished' });
    }
  }

  private makeMessage(address: VerticalAddress, payload: Uint8Array): void {
    this.mailbox.put({ address: { ...address, sender: COORDINATOR_SENDER }, payload, signature: new Uint8Array(0) });
  }

  private recordMetrics(epoch: number, payload: Uint8Array | undefined): void {
    try {
      const raw = JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as Record<string, unknown>;
      const metrics: VerticalEpochMetrics = {
        epoch,
        validationAuc: Number(raw.validationAuc),
        validationLoss: Number(raw.validationLoss),
        validationRows: Number(raw.validationRows),
      };
      this.epochs.push(metrics);
      this.options.onEpochMetrics?.(metrics);
      this.logger.info({ ...metrics, ...this.byteCounters() }, 'epoch finished');
    } catch {
      this.logger.warn({ epoch }, 'the label holder sent epoch metrics that are not JSON');
    }
  }

  /** The running byte totals, logged at the PSI's end and every epoch's (the bench's per-epoch figures). */
  private byteCounters(): { bytesReceived: number; bytesSent: number } {
    return { bytesReceived: this.bytesReceived, bytesSent: this.bytesSent };
  }

  private armDeadline(seconds: number, reason: string): void {
    if (this.stepTimer) clearTimeout(this.stepTimer);
    this.stepTimer = setTimeout(() => this.fail(`${reason} (${seconds} s)`), seconds * 1000);
    this.stepTimer.unref?.();
  }

  fail(reason: string): void {
    this.finish({ status: 'failed', reason });
  }

  private finish(result: { status: 'finished' } | { status: 'failed'; reason: string }): void {
    if (this.outcome) return;
    if (this.stepTimer) clearTimeout(this.stepTimer);
    this.outcome = {
      jobId: this.options.job.jobId,
      ...result,
      parties: this.roster.parties,
      ...(this.intersectionSize !== undefined ? { intersectionSize: this.intersectionSize } : {}),
      ...(this.scoringSize !== undefined ? { scoredCustomers: this.scoringSize } : {}),
      epochs: [...this.epochs],
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      messagesRelayed: this.messagesRelayed,
      duplicatesAccepted: this.duplicatesAccepted,
      seconds: (Date.now() - this.started) / 1000,
    };
    if (result.status === 'failed') this.logger.error({ reason: result.reason }, 'vertical job failed');
    const notice: VerticalNotice = result.status === 'finished' ? { type: 'job-finished', epochs: this.epochs.length } : { type: 'job-failed', reason: result.reason };
    for (const sink of this.sinks.values()) {
      sink.send(notice);
      sink.close();
    }
    this.mailbox.close(new Error(result.status === 'finished' ? 'the job has finished' : `the job failed: ${result.reason}`));
    this.resolveFinished(this.outcome);
  }

  /** Bytes the transport sent beyond payloads (headers, chunk framing); counted for the report. */
  recordBytesSent(bytes: number): void {
    this.bytesSent += bytes;
  }
}

const BATCH_KINDS: ReadonlySet<string> = new Set(['forward-part', 'forward-sum', 'gradient-products', 'coefficient-shares']);
const EVALUATION_KINDS: ReadonlySet<string> = new Set(['score-part', 'score-sum', 'score-shares']);

/** Whether a message belongs to a training step before batch `batch` of epoch `epoch` (or that epoch's predecessors' evaluations). */
function finishedBefore(address: VerticalAddress, epoch: number, batch: number): boolean {
  if (BATCH_KINDS.has(address.kind)) return address.epoch < epoch || (address.epoch === epoch && address.batch < batch);
  if (EVALUATION_KINDS.has(address.kind)) return address.batch === 0 && address.epoch < epoch;
  return false;
}

/** A fetch the rules refuse (answered PERMISSION_DENIED, never waited on). */
export class FetchRefusedError extends Error {}
