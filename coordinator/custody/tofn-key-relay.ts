import type { KeyObject } from 'node:crypto';
import { c1Digests, type ThresholdCkksContext } from '../../protocols/ckks/threshold/index.js';
import { canaryMatches, combineCommitteeShares, committeeMapKey, coverCommittees } from '../../protocols/ckks/threshold-t-of-n/index.js';
import { CANARY_LENGTH, canaryLeader, canaryValues } from '../../protocols/ckks/threshold-t-of-n/canary.js';
import { verifyKeySetupValue } from '../../protocols/identity/participant-identity.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { SEALING_PUBLIC_KEY_BYTES } from '../../protocols/sealed-box/index.js';
import type { KeySetupMessage, Receipt, SignedValue, TofnKeySetupStep } from '../../protocols/wire/federation-messages.js';
import { decodeCanaryShare, decodeShamirParcel } from '../../protocols/wire/tofn-key-setup-values.js';


/** How the cover check came out: every committee's canary decrypted, or who holds a bad share. */
export interface CoverCheckOutcome {
  readonly committees: readonly { readonly committee: readonly string[]; readonly decrypted: boolean }[];
  /** Members on a failing committee and on no passing one (they hold the inconsistent share). */
  readonly suspects: readonly string[];
}

/**
 * The coordinator's side of the t-of-N resharing (participant/custody/tofn-resharing.ts): it checks
 * each value's identity signature and shape, relays every sealed Shamir share to its recipient alone
 * (it cannot open them), and at the end combines each cover committee's canary decryption.
 */
export class TofnKeyRelay {
  private step: TofnKeySetupStep | undefined;
  private readonly sealingKeys = new Map<string, SignedValue>();
  /** from -> to -> the signed parcel. */
  private readonly parcels = new Map<string, Map<string, SignedValue>>();
  private readonly canaries = new Map<string, Uint8Array>();
  /** committee key -> member -> canary share. */
  private readonly canaryShares = new Map<string, Map<string, { c1Sha256: string; share: Uint8Array }>>();
  readonly cover: string[][];

  constructor(
    private readonly job: JobSpec,
    private readonly threshold: number,
    private readonly identities: (participantId: string) => KeyObject | undefined,
  ) {
    this.cover = coverCommittees(job.federation.participants, threshold);
  }

  begin(step: TofnKeySetupStep): void {
    this.step = step;
  }

  /** Who still owes a value for the current step. */
  missing(): string[] {
    const roster = this.job.federation.participants;
    switch (this.step) {
      case 'sealing-key':
        return roster.filter((id) => !this.sealingKeys.has(id));
      case 'shamir-share':
        return roster.filter((id) => (this.parcels.get(id)?.size ?? 0) < roster.length - 1);
      case 'canary-share':
        return roster.filter((id) => this.cover.some((committee) => committee.includes(id) && !this.canaryShares.get(committeeMapKey(committee))?.has(id)));
      default:
        return [...roster];
    }
  }

  signedSealingKeys(): SignedValue[] {
    return [...this.sealingKeys.values()].sort((a, b) => a.participantId.localeCompare(b.participantId));
  }

  /** The sealed shares addressed to `recipient`, one per other participant. */
  parcelsTo(recipient: string): SignedValue[] {
    return [...this.parcels.values()].flatMap((byRecipient) => {
      const parcel = byRecipient.get(recipient);
      return parcel ? [parcel] : [];
    });
  }

  accept(message: KeySetupMessage & { readonly step: TofnKeySetupStep }): Receipt {
    const from = message.participantId;
    if (message.step !== this.step) return { accepted: false, reason: `key setup is not at step ${message.step} (now: ${this.step ?? 'not started'})` };
    const identity = this.identities(from);
    if (!identity) return { accepted: false, reason: `participant "${from}" has no identity in the roster` };
    if (!verifyKeySetupValue(identity, { jobId: this.job.jobId, participantId: from, step: message.step }, message.value, message.signature)) {
      return { accepted: false, reason: `the signature on ${from}'s ${message.step} does not verify` };
    }
    const signed: SignedValue = { participantId: from, value: message.value, signature: message.signature };
    switch (message.step) {
      case 'sealing-key':
        if (message.value.length !== SEALING_PUBLIC_KEY_BYTES) return { accepted: false, reason: `a sealing key is ${SEALING_PUBLIC_KEY_BYTES} bytes` };
        if (this.sealingKeys.has(from)) return { accepted: false, reason: `sealing-key from ${from} already received` };
        this.sealingKeys.set(from, signed);
        return { accepted: true };
      case 'shamir-share':
        return this.acceptParcel(from, signed);
      case 'canary-share':
        return this.acceptCanaryShare(from, message.value);
    }
  }

  private acceptParcel(from: string, signed: SignedValue): Receipt {
    const parcel = decodeShamirParcel(signed.value);
    if (!parcel.success) return { accepted: false, reason: parcel.reason };
    const { to, canaries } = parcel.data;
    if (to === from || !this.job.federation.participants.includes(to)) return { accepted: false, reason: `a Shamir share from ${from} must go to another participant, not ${to}` };
    const byRecipient = this.parcels.get(from) ?? new Map<string, SignedValue>();
    if (byRecipient.has(to)) return { accepted: false, reason: `the Shamir share from ${from} to ${to} was already received` };
    const expected = this.cover.filter((committee) => committee.includes(to) && canaryLeader(committee) === from).map(committeeMapKey).sort();
    if (canaries.map((canary) => committeeMapKey(canary.committee)).sort().join('\n') !== expected.join('\n')) {
      return { accepted: false, reason: `the Shamir share from ${from} to ${to} must carry the canary of exactly each cover committee ${from} leads with ${to} on it` };
    }
    for (const canary of canaries) {
      const known = this.canaries.get(committeeMapKey(canary.committee));
      if (known && Buffer.compare(Buffer.from(known), Buffer.from(canary.ciphertext)) !== 0) return { accepted: false, reason: `${from} sent two different canaries for one committee` };
    }
    for (const canary of canaries) this.canaries.set(committeeMapKey(canary.committee), canary.ciphertext);
    byRecipient.set(to, signed);
    this.parcels.set(from, byRecipient);
    return { accepted: true };
  }

  private acceptCanaryShare(from: string, value: Uint8Array): Receipt {
    const decoded = decodeCanaryShare(value);
    if (!decoded.success) return { accepted: false, reason: decoded.reason };
    const committee = this.cover.find((candidate) => committeeMapKey(candidate) === committeeMapKey(decoded.data.committee));
    if (!committee || !committee.includes(from)) return { accepted: false, reason: `${from} is not on cover committee {${decoded.data.committee.join(', ')}}` };
    const shares = this.canaryShares.get(committeeMapKey(committee)) ?? new Map<string, { c1Sha256: string; share: Uint8Array }>();
    if (shares.has(from)) return { accepted: false, reason: `${from}'s canary share for {${committee.join(', ')}} was already received` };
    shares.set(from, { c1Sha256: decoded.data.c1Sha256, share: decoded.data.share });
    this.canaryShares.set(committeeMapKey(committee), shares);
    return { accepted: true };
  }

  /** After the setup: drops the relayed envelopes and canaries (megabytes for larger N). */
  clear(): void {
    this.step = undefined;
    this.sealingKeys.clear();
    this.parcels.clear();
    this.canaries.clear();
    this.canaryShares.clear();
  }

  /** Combines every cover committee's canary shares and compares with the public canary values. */
  async checkCover(context: ThresholdCkksContext, keyFingerprint: string): Promise<CoverCheckOutcome> {
    const roster = this.job.federation.participants;
    const committees: { committee: readonly string[]; decrypted: boolean }[] = [];
    for (const committee of this.cover) {
      const canary = this.canaries.get(committeeMapKey(committee));
      const shares = this.canaryShares.get(committeeMapKey(committee)) ?? new Map<string, { c1Sha256: string; share: Uint8Array }>();
      let decrypted = false;
      if (canary) {
        const [c1] = await c1Digests(context, [canary]);
        try {
          const byMember = new Map([...shares].filter(([, entry]) => entry.c1Sha256 === c1).map(([id, entry]) => [id, [entry.share]]));
          const values = await combineCommitteeShares(context, [canary], { roster, threshold: this.threshold, committee }, byMember, CANARY_LENGTH);
          decrypted = canaryMatches(values, canaryValues(this.job.jobId, keyFingerprint, committee));
        } catch {
          decrypted = false;
        }
      }
      committees.push({ committee, decrypted });
    }
    const vouched = new Set(committees.filter((entry) => entry.decrypted).flatMap((entry) => entry.committee));
    const failing = committees.filter((entry) => !entry.decrypted).flatMap((entry) => entry.committee);
    const unvouched = [...new Set(failing.filter((id) => !vouched.has(id)))].sort();
    return { committees, suspects: unvouched.length > 0 ? unvouched : [...new Set(failing)].sort() };
  }
}
