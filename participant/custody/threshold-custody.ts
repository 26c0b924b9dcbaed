import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import type { EncryptedChunk } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import { ConfigError, WireMessageError } from '../../protocols/errors.js';
import { signUpdate, type UpdateSigningContext } from '../../protocols/identity/participant-identity.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { DecryptionGuard } from '../decryption-guard.js';
import type { EventOf, ParticipantNode } from '../participant-options.js';
import type { ParticipantState } from '../participant-state.js';
import type { PrivacyFloor } from '../privacy-policy.js';
import { UpdateEncryptor } from './encrypt-update.js';
import { noDecryptionKey, notThresholdCustody, type ParticipantCustody, type ResumedJob } from './participant-custody.js';
import { ThresholdKeyHolder } from './threshold-key-holder.js';

/**
 * N-of-N threshold custody: this node makes its own key share during key setup, encrypts under the
 * collective key it verified and signs each update; it never decrypts alone, but releases a partial
 * decryption when its decryption guard and the aggregate verification allow (README, "What each
 * node enforces"), and reads the decrypted sum the coordinator publishes.
 */
export class ThresholdCustody implements ParticipantCustody {
  readonly mode = 'threshold';
  readonly updateDescription = 'encrypted update';
  readonly reportsFederatedEvaluation = false;
  private readonly encryptor: UpdateEncryptor;
  /** This node's share of the decryption key and the key-setup protocol, from the job's acceptance. */
  private holder: ThresholdKeyHolder | undefined;
  /** The collective public key this node verified, and its SHA-256. */
  private collectiveKey: Uint8Array | undefined;
  private collectiveKeySha256: string | undefined;

  constructor(private readonly node: ParticipantNode) {
    this.encryptor = new UpdateEncryptor(node, undefined, true);
  }

  acceptJob(): void {}

  async openJob(job: JobSpec, floor: PrivacyFloor): Promise<void> {
    const { keys, participantId, connection, secretShareFile, decryptionGuardFile, onRefusal } = this.node.options;
    if (!keys.identityKey || !keys.manifest.identities) throw new ConfigError('threshold custody needs this node\'s identity key folder');
    this.holder = new ThresholdKeyHolder(
      job,
      participantId,
      keys.identityKey,
      keys.manifest.identities,
      connection,
      this.node.logger,
      secretShareFile,
      floor,
      await DecryptionGuard.open(decryptionGuardFile),
      onRefusal,
    );
  }

  async onKeySetupRequested(event: EventOf<'key-setup-requested'>): Promise<void> {
    await this.requireHolder().onKeySetupRequested(event);
  }

  async onKeySetupComplete(event: EventOf<'key-setup-complete'>): Promise<void> {
    const collectiveKey = await this.requireHolder().onKeySetupComplete(event);
    this.collectiveKeySha256 = event.collectiveKeySha256;
    this.collectiveKey = collectiveKey;
  }

  readyToEncode(): boolean {
    return this.collectiveKey !== undefined;
  }

  async encodeUpdate(job: JobSpec, vector: Float64Array): Promise<AsyncIterable<EncryptedChunk>> {
    if (!this.collectiveKey) throw new WireMessageError('round started before the encryption key was set up');
    return this.encryptor.encryptChunks(job, this.collectiveKey, vector);
  }

  /** The coordinator relays these signatures, so every node can re-sum the signed updates before it decrypts. */
  signUpdate(context: UpdateSigningContext, digest: Uint8Array): Uint8Array | undefined {
    const { identityKey } = this.node.options.keys;
    return identityKey ? signUpdate(identityKey, context, digest) : undefined;
  }

  async decryptAggregate(): Promise<Float64Array> {
    throw noDecryptionKey();
  }

  async onDecryptionRequested(
    event: EventOf<'decryption-requested'>,
    job: JobSpec,
    round: { current: number; ownUpdateAcknowledged: boolean },
  ): Promise<void> {
    const { pool } = this.encryptor;
    if (pool) this.requireHolder().useDecryptionPool(pool);
    const { connection, participantId } = this.node.options;
    await this.requireHolder().onDecryptionRequested(event, round, () =>
      connection.fetchAggregate({ jobId: job.jobId, participantId, round: event.round, kind: event.kind }),
    );
  }

  /** Its secret key share, made at key setup: without it the federation cannot decrypt, and no new one can be made. */
  async holdsKeyMaterial(): Promise<boolean> {
    const file = this.node.options.secretShareFile;
    if (!file) return false;
    return access(file).then(
      () => true,
      () => false,
    );
  }

  checkResumed(resumed: ResumedJob): void {
    if (resumed.collectiveKeySha256 !== this.collectiveKeySha256) {
      throw new WireMessageError('after rejoining, the coordinator names another collective key; refusing to go on');
    }
  }

  async restore(saved: ParticipantState, resumed: ResumedJob, source: string): Promise<void> {
    const holder = this.holder;
    if (!saved.collectiveKey || !holder) throw new ConfigError(`${source}: no collective key saved for this threshold-custody job`);
    const collectiveKey = new Uint8Array(Buffer.from(saved.collectiveKey, 'base64'));
    const sha256 = createHash('sha256').update(collectiveKey).digest('hex');
    if (sha256 !== saved.collectiveKeySha256 || sha256 !== resumed.collectiveKeySha256) {
      throw new WireMessageError('the coordinator names another collective key than the one this node saved; refusing to go on');
    }
    await holder.restore();
    this.collectiveKey = collectiveKey;
    this.collectiveKeySha256 = sha256;
  }

  savedKey(): { collectiveKey: string | null; collectiveKeySha256: string | null } {
    return {
      collectiveKey: this.collectiveKey ? Buffer.from(this.collectiveKey).toString('base64') : null,
      collectiveKeySha256: this.collectiveKeySha256 ?? null,
    };
  }

  async dispose(): Promise<void> {
    this.holder?.dispose();
    await this.encryptor.close();
  }

  private requireHolder(): ThresholdKeyHolder {
    if (!this.holder) throw notThresholdCustody();
    return this.holder;
  }
}
