import type { KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import { c1Digests, collectiveKeyFingerprint, type ThresholdCkksContext } from '../../protocols/ckks/threshold/index.js';
import {
  aggregateShamirShares,
  committeeMapKey,
  coverCommittees,
  createCommitteeDecryptionShare,
  openShamirShare,
  sealShamirShare,
  thresholdizeKeyShare,
  type ResharingContext,
} from '../../protocols/ckks/threshold-t-of-n/index.js';
import { canaryLeader, canaryValues } from '../../protocols/ckks/threshold-t-of-n/canary.js';
import { HeflError, KeyCustodyError } from '../../protocols/errors.js';
import { verifyKeySetupValue } from '../../protocols/identity/participant-identity.js';
import { decryptionThreshold, type JobSpec } from '../../protocols/job/job-spec.js';
import { createSealingKeyPair, SEALING_PUBLIC_KEY_BYTES, type SealingKeyPair } from '../../protocols/sealed-box/index.js';
import { writeOwnerOnlyFile } from '../../protocols/state/write-owner-only-file.js';
import type { SignedValue, TofnKeySetupStep } from '../../protocols/wire/federation-messages.js';
import { decodeShamirParcel, encodeCanaryShare, encodeShamirParcel } from '../../protocols/wire/tofn-key-setup-values.js';
import type { DecryptionGuard } from '../decryption-guard.js';

function protocolViolation(message: string): HeflError {
  return new HeflError('PROTOCOL_VIOLATION', message);
}

/** Where a node keeps its t-of-N share: beside its N-of-N secret share file. */
export function tofnShareFileOf(secretShareFile: string): string {
  return `${secretShareFile}.t-of-n`;
}

/** What the resharing needs of this node's N-of-N key holder (threshold-key-holder.ts). */
export interface ResharingNode {
  readonly job: JobSpec;
  readonly participantId: string;
  readonly identityKey: KeyObject;
  readonly identities: ReadonlyMap<string, KeyObject>;
  readonly logger: Logger;
  readonly guard: DecryptionGuard;
  /** This node's t-of-N share file (mode 0600), next to its N-of-N secret share file. */
  readonly shareFile: string | undefined;
  thresholdContext(): Promise<ThresholdCkksContext>;
  send(step: TofnKeySetupStep, value: Uint8Array): Promise<void>;
}

/**
 * t-of-N custody, after the collective key is verified: this node thresholdizes its N-of-N key share,
 * seals one Shamir share to each other node (the coordinator relays envelopes it cannot open), sums
 * the shares it receives into S(α_self), stores it 0600 and wipes the rest; then it decrypts, for each
 * cover committee it sits on, the canary that committee's leader made and signed (never a ciphertext
 * of the coordinator's choosing), so the coordinator can check every share before training.
 */
export class TofnResharing {
  private sealing: SealingKeyPair | undefined;
  private own: { share: Uint8Array; canaries: Map<string, Uint8Array> } | undefined;
  private resharing: ResharingContext | undefined;
  /** S(α_self) as SEAL SecretKey bytes, once the resharing is done (or restored from its file). */
  thresholdShare: Uint8Array | undefined;

  constructor(private readonly node: ResharingNode) {}

  get threshold(): number {
    return decryptionThreshold(this.node.job) as number;
  }

  get roster(): readonly string[] {
    return this.node.job.federation.participants;
  }

  async onStep(step: TofnKeySetupStep, previous: readonly SignedValue[], keyShare: Uint8Array, collectiveKey: Uint8Array | undefined): Promise<void> {
    switch (step) {
      case 'sealing-key':
        // A fresh X25519 key for this job's resharing only (never the Ed25519 identity key), signed on the wire.
        this.sealing = createSealingKeyPair();
        await this.node.send('sealing-key', this.sealing.publicKey);
        return;
      case 'shamir-share':
        if (!collectiveKey) throw protocolViolation('t-of-N resharing requested before the collective key was verified');
        await this.dealShares(previous, keyShare, collectiveKey);
        return;
      case 'canary-share':
        await this.receiveShares(previous);
        return;
    }
  }

  /** Every node's signed sealing key, then one sealed share (and the canaries it leads) per other node. */
  private async dealShares(previous: readonly SignedValue[], keyShare: Uint8Array, collectiveKey: Uint8Array): Promise<void> {
    const { job, participantId, identityKey, identities } = this.node;
    const sealing = this.sealing;
    if (!sealing) throw protocolViolation('t-of-N key setup steps arrived out of order');
    const ids = previous.map((value) => value.participantId).sort();
    if (ids.join(',') !== [...this.roster].sort().join(',')) throw protocolViolation(`the relayed sealing keys are from ${ids.join(', ')}, expected every participant`);
    const keys = new Map<string, Uint8Array>();
    for (const value of previous) {
      const identity = identities.get(value.participantId) as KeyObject;
      if (value.value.length !== SEALING_PUBLIC_KEY_BYTES || !verifyKeySetupValue(identity, { jobId: job.jobId, participantId: value.participantId, step: 'sealing-key' }, value.value, value.signature)) {
        throw protocolViolation(`the relayed sealing key of ${value.participantId} is not a 32-byte key signed by its identity`);
      }
      keys.set(value.participantId, value.value);
    }
    if (Buffer.compare(Buffer.from(keys.get(participantId) as Uint8Array), Buffer.from(sealing.publicKey)) !== 0) throw protocolViolation('our own sealing key was altered in relay');
    const context = await this.node.thresholdContext();
    const resharing: ResharingContext = { jobId: job.jobId, epoch: 0, keyFingerprint: collectiveKeyFingerprint(collectiveKey), roster: this.roster, threshold: this.threshold };
    this.resharing = resharing;
    const canaries = await this.makeCanaries(collectiveKey, resharing.keyFingerprint);
    const shares = await thresholdizeKeyShare(context, keyShare, resharing, participantId);
    try {
      for (const [to, share] of shares) {
        if (to === participantId) continue;
        const envelope = sealShamirShare(share, resharing, { from: participantId, to }, { recipientSealingKey: keys.get(to) as Uint8Array, senderIdentityKey: identityKey });
        share.fill(0);
        const mine = coverCommittees(this.roster, this.threshold).filter((committee) => committee.includes(to) && canaries.has(committeeMapKey(committee)));
        const parcel = encodeShamirParcel({ to, envelope, canaries: mine.map((committee) => ({ committee, ciphertext: canaries.get(committeeMapKey(committee)) as Uint8Array })) });
        await this.node.send('shamir-share', parcel);
      }
      const ownShare = shares.get(participantId) as Uint8Array;
      shares.delete(participantId);
      this.own = { share: ownShare, canaries };
    } finally {
      for (const share of shares.values()) share.fill(0);
    }
  }

  /** The canary of every cover committee this node leads: the public canary values under the collective key. */
  private async makeCanaries(collectiveKey: Uint8Array, keyFingerprint: string): Promise<Map<string, Uint8Array>> {
    const led = coverCommittees(this.roster, this.threshold).filter((committee) => canaryLeader(committee) === this.node.participantId);
    const canaries = new Map<string, Uint8Array>();
    if (led.length === 0) return canaries;
    const session = await CkksSession.create(this.node.job.ckks, { publicKey: collectiveKey });
    try {
      for (const committee of led) {
        const [ciphertext] = session.encryptVector(canaryValues(this.node.job.jobId, keyFingerprint, committee));
        canaries.set(committeeMapKey(committee), ciphertext as Uint8Array);
      }
    } finally {
      session.dispose();
    }
    return canaries;
  }

  /** Opens every envelope addressed to this node, stores S(α_self), then decrypts its cover committees' canaries. */
  private async receiveShares(previous: readonly SignedValue[]): Promise<void> {
    const { job, participantId, identities } = this.node;
    const { own, resharing, sealing } = this;
    if (!own || !resharing || !sealing) throw protocolViolation('t-of-N key setup steps arrived out of order');
    const senders = previous.map((value) => value.participantId).sort();
    const expected = this.roster.filter((id) => id !== participantId).sort();
    if (senders.join(',') !== expected.join(',')) throw protocolViolation(`the relayed Shamir shares are from ${senders.join(', ')}, expected ${expected.join(', ')}`);
    const received = new Map<string, Uint8Array>([[participantId, own.share]]);
    const canaries = new Map(own.canaries);
    const mine = coverCommittees(this.roster, this.threshold).filter((committee) => committee.includes(participantId));
    try {
      for (const value of previous) {
        const from = value.participantId;
        const identity = identities.get(from) as KeyObject;
        if (!verifyKeySetupValue(identity, { jobId: job.jobId, participantId: from, step: 'shamir-share' }, value.value, value.signature)) {
          throw protocolViolation(`the relayed Shamir share of ${from} is not signed by its identity`);
        }
        const parcel = decodeShamirParcel(value.value);
        if (!parcel.success) throw protocolViolation(`the relayed Shamir share of ${from}: ${parcel.reason}`);
        if (parcel.data.to !== participantId) throw protocolViolation(`${from}'s Shamir share relayed to us is addressed to ${parcel.data.to}`);
        received.set(from, openShamirShare(parcel.data.envelope, resharing, { from, to: participantId }, { recipientSealingPrivateKey: sealing.privateKey, senderIdentityPublicKey: identity }));
        for (const canary of parcel.data.canaries) {
          const committee = mine.find((candidate) => committeeMapKey(candidate) === committeeMapKey(canary.committee));
          if (!committee || canaryLeader(committee) !== from) throw protocolViolation(`${from} sent a canary for {${canary.committee.join(', ')}}, not a cover committee it leads with us on it`);
          canaries.set(committeeMapKey(committee), canary.ciphertext);
        }
      }
      const context = await this.node.thresholdContext();
      this.thresholdShare = await aggregateShamirShares(context, received, resharing, participantId);
    } finally {
      for (const share of received.values()) share.fill(0);
      this.own = undefined;
      this.sealing = undefined;
    }
    await this.store(this.thresholdShare);
    this.node.logger.info({ threshold: this.threshold, participants: this.roster.length }, 't-of-N share aggregated from every participant\'s sealed Shamir share and stored');
    for (const committee of mine) {
      const canary = canaries.get(committeeMapKey(committee));
      if (!canary) throw protocolViolation(`no canary from ${canaryLeader(committee)} for cover committee {${committee.join(', ')}}`);
      await this.decryptCanary(committee, canary);
    }
  }

  private async decryptCanary(committee: readonly string[], canary: Uint8Array): Promise<void> {
    const { job, participantId, guard } = this.node;
    const context = await this.node.thresholdContext();
    const c1 = await c1Digests(context, [canary]);
    guard.checkCanary(c1, committee);
    await guard.recordCanary(c1, committee);
    const smudgingSigmaBits = job.custody.mode === 'threshold' ? job.custody.smudgingSigmaBits : 40;
    const request = { roster: this.roster, threshold: this.threshold, self: participantId, committee };
    const [share] = await createCommitteeDecryptionShare(context, this.requireShare(), request, [canary], { smudgingSigmaBits });
    await this.node.send('canary-share', encodeCanaryShare({ committee: [...committee].sort(), c1Sha256: c1[0] as string, share: share as Uint8Array }));
  }

  requireShare(): Uint8Array {
    if (!this.thresholdShare) throw protocolViolation('no t-of-N share yet: the resharing has not run');
    return this.thresholdShare;
  }

  /** After a restart: S(α_self) from its 0600 file. */
  async restore(): Promise<void> {
    const file = this.node.shareFile;
    if (!file) throw protocolViolation('cannot rejoin under t-of-N custody without the share file');
    try {
      this.thresholdShare = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new KeyCustodyError(`${file}: this node's t-of-N key share cannot be read (${(error as Error).message}); without it this node cannot sit on a decryption committee`);
    }
  }

  private async store(share: Uint8Array): Promise<void> {
    const file = this.node.shareFile;
    if (!file) return;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeOwnerOnlyFile(file, share, 'replace-atomically');
  }

  wipe(): void {
    this.thresholdShare?.fill(0);
    this.own?.share.fill(0);
    this.sealing = undefined;
  }
}
