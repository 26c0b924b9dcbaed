import { createHash, type KeyObject } from 'node:crypto';
import {
  combinePublicShares,
  deriveCommonSeed,
  publicShareCommitment,
  verifySeedReveal,
} from '../../protocols/ckks/threshold/index.js';
import { loadIdentityPublicKey, verifyKeySetupValue } from '../../protocols/identity/participant-identity.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { KeySetupMessage, KeySetupStep, Receipt, SignedValue } from '../../protocols/wire/federation-messages.js';

/**
 * The coordinator's side of the dealer-free threshold key generation. It only relays and checks:
 * every value must be signed by its participant's identity, each seed must open its commitment and
 * each public-key share must match the commitment made before anyone revealed theirs. The collective
 * public key is the sum of the shares; the coordinator never sees a secret share.
 */
export class ThresholdKeySetup {
  private readonly identities: ReadonlyMap<string, KeyObject>;
  private readonly values = new Map<KeySetupStep, Map<string, SignedValue>>();
  private currentStep: KeySetupStep | undefined;

  constructor(
    private readonly job: JobSpec,
    identityRoster: Readonly<Record<string, string>>,
  ) {
    this.identities = new Map(Object.entries(identityRoster).map(([id, pem]) => [id, loadIdentityPublicKey(pem)]));
  }

  /** A participant's Ed25519 identity (signs its key-setup values and its updates). */
  identityOf(participantId: string): KeyObject | undefined {
    return this.identities.get(participantId);
  }

  get step(): KeySetupStep | undefined {
    return this.currentStep;
  }

  begin(step: KeySetupStep): void {
    this.currentStep = step;
    this.values.set(step, new Map());
  }

  /** Values of a finished step, in participant order, as relayed to everyone. */
  valuesOf(step: KeySetupStep): SignedValue[] {
    return [...(this.values.get(step)?.values() ?? [])].sort((a, b) => a.participantId.localeCompare(b.participantId));
  }

  submittedCount(step: KeySetupStep): number {
    return this.values.get(step)?.size ?? 0;
  }

  missing(step: KeySetupStep): string[] {
    const received = this.values.get(step) ?? new Map();
    return this.job.federation.participants.filter((id) => !received.has(id));
  }

  accept(message: KeySetupMessage): Receipt {
    const step = this.currentStep;
    if (step === undefined || message.step !== step) return { accepted: false, reason: `key setup is not at step ${message.step} (now: ${step ?? 'not started'})` };
    const identity = this.identities.get(message.participantId);
    if (!identity) return { accepted: false, reason: `participant "${message.participantId}" has no identity in the roster` };
    const received = this.values.get(step) as Map<string, SignedValue>;
    if (received.has(message.participantId)) return { accepted: false, reason: `${message.step} from ${message.participantId} already received` };
    const context = { jobId: this.job.jobId, participantId: message.participantId, step };
    if (!verifyKeySetupValue(identity, context, message.value, message.signature)) {
      return { accepted: false, reason: `the signature on ${message.participantId}'s ${step} does not verify` };
    }
    if (step === 'seed-reveal') {
      const commitment = this.values.get('seed-commitment')?.get(message.participantId);
      if (!commitment || !verifySeedReveal(Buffer.from(commitment.value).toString('hex'), message.value, context)) {
        return { accepted: false, reason: `${message.participantId}'s seed does not open its commitment` };
      }
    }
    if (step === 'public-share') {
      const commitment = this.values.get('share-commitment')?.get(message.participantId);
      const expected = publicShareCommitment(this.job.jobId, message.participantId, message.value);
      if (!commitment || Buffer.from(commitment.value).toString('hex') !== expected) {
        return { accepted: false, reason: `${message.participantId}'s public-key share does not match its commitment` };
      }
    }
    received.set(message.participantId, { participantId: message.participantId, value: message.value, signature: message.signature });
    return { accepted: true };
  }

  /** After the last step: the collective public key (SEAL bytes) and its SHA-256. */
  async collectiveKey(): Promise<{ publicKey: Uint8Array; sha256: string }> {
    const seed = deriveCommonSeed(
      this.job.jobId,
      this.valuesOf('seed-reveal').map((reveal) => ({ participantId: reveal.participantId, seed: reveal.value })),
    );
    const publicKey = await combinePublicShares(this.job.ckks, seed, this.valuesOf('public-share').map((share) => share.value));
    return { publicKey, sha256: createHash('sha256').update(publicKey).digest('hex') };
  }
}
