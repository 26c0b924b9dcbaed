import type { EncryptedChunk } from '../../protocols/ckks/parallel/ckks-worker-pool.js';
import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import { WireMessageError } from '../../protocols/errors.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { EventOf, ParticipantNode } from '../participant-options.js';
import { UpdateEncryptor } from './encrypt-update.js';
import { noDecryptionKey, notThresholdCustody, type ParticipantCustody } from './participant-custody.js';

/**
 * Single-key custody: one CKKS key pair made offline, the secret key in every participant's key
 * folder. Each node encrypts symmetrically (seeded, half the bytes) and decrypts every aggregate
 * itself; the coordinator cannot, so the nodes also report the federated evaluation.
 */
export class SingleKeyCustody implements ParticipantCustody {
  readonly mode = 'single-key';
  readonly updateDescription = 'encrypted update';
  readonly reportsFederatedEvaluation = true;
  private readonly encryptor: UpdateEncryptor;

  private constructor(
    private readonly node: ParticipantNode,
    /** Decrypts each aggregate with the shared secret key (encryption is the worker pool's). */
    private readonly session: CkksSession,
  ) {
    this.encryptor = new UpdateEncryptor(node, node.options.keys.secretKey, false);
  }

  static async create(node: ParticipantNode): Promise<SingleKeyCustody> {
    const { keys } = node.options;
    return new SingleKeyCustody(node, await CkksSession.create(keys.manifest.ckks, { publicKey: keys.publicKey, secretKey: keys.secretKey }));
  }

  acceptJob(): void {}

  async openJob(): Promise<void> {}

  async onKeySetupRequested(): Promise<void> {
    throw notThresholdCustody();
  }

  async onKeySetupComplete(): Promise<void> {
    throw notThresholdCustody();
  }

  readyToEncode(): boolean {
    return this.node.options.keys.publicKey !== undefined;
  }

  async encodeUpdate(job: JobSpec, vector: Float64Array): Promise<AsyncIterable<EncryptedChunk>> {
    const { publicKey } = this.node.options.keys;
    if (!publicKey) throw new WireMessageError('round started before the encryption key was set up');
    return this.encryptor.encryptChunks(job, publicKey, vector);
  }

  signUpdate(): undefined {
    return undefined;
  }

  async decryptAggregate(event: EventOf<'aggregate-ready'>, expectLayout: () => JobSpec): Promise<Float64Array> {
    if (!this.session.canDecrypt) throw noDecryptionKey();
    const job = expectLayout();
    const { connection, participantId } = this.node.options;
    const chunks = await connection.fetchAggregate({ jobId: job.jobId, participantId, round: event.round, kind: event.kind });
    return this.session.decryptVector(chunks, event.vectorLength);
  }

  async onDecryptionRequested(): Promise<void> {
    throw notThresholdCustody();
  }

  /** The key folder this node started with is all it needs. */
  async holdsKeyMaterial(): Promise<boolean> {
    return true;
  }

  checkResumed(): void {}

  async restore(): Promise<void> {}

  savedKey(): { collectiveKey: null; collectiveKeySha256: null } {
    return { collectiveKey: null, collectiveKeySha256: null };
  }

  async dispose(): Promise<void> {
    this.session.dispose();
    await this.encryptor.close();
  }
}
