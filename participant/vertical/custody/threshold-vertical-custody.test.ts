import { randomBytes, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CkksSession } from '../../../protocols/ckks/ckks-session.js';
import { coefficientSmudgingBits, encryptForwardPart, gradientProducts } from '../../../protocols/ckks/coefficient/index.js';
import { DecryptionBudget } from '../../../protocols/ckks/threshold/decryption-budget.js';
import { ThresholdCkksContext } from '../../../protocols/ckks/threshold/threshold-context.js';
import { CiphertextError, HeflError, KeyCustodyError } from '../../../protocols/errors.js';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../../../protocols/identity/participant-identity.js';
import { LedgerWriter } from '../../../protocols/ledger/ledger-writer.js';
import { createSealingKeyPair, openSealed, type SealingKeyPair } from '../../../protocols/sealed-box/index.js';
import { decodeBlobList, encodeBlobList } from '../../../protocols/vertical/blob-list.js';
import { COORDINATOR_SENDER, verticalAddress, type VerticalAddress } from '../../../protocols/vertical/vertical-address.js';
import { verticalJobSpecSchema } from '../../../protocols/vertical/vertical-job-spec.js';
import { signVerticalMessage } from '../../../protocols/vertical/vertical-signing.js';
import { PROTOCOL_VERSION } from '../../../protocols/wire/federation-messages.js';
import { FetchRefusedError, VerticalCoordinator } from '../../../coordinator/vertical/vertical-coordinator.js';
import { createVerticalSum, type VerticalSum } from '../../../coordinator/vertical/vertical-sum.js';
import { MemoryVerticalConnection } from '../../../test/support/vertical-memory-connection.js';
import { setUpFederation, type Federation } from '../../../test/support/vertical-gradient-data.js';
import { createVerticalEgressGuard } from '../create-vertical-egress-guard.js';
import { VerticalChannel } from '../vertical-channel.js';
import { sealedContext, ThresholdVerticalCustody } from './threshold-vertical-custody.js';
import { verifyCiphertextSum } from './verify-ciphertext-sum.js';

// Two parties, real everything: threshold key, SEAL ciphertexts, coefficient-0 shares, sealed boxes,
// Ed25519 signatures, the coordinator's rules and mailbox (no socket: MemoryVerticalConnection).
const job = verticalJobSpecSchema.parse({
  kind: 'vertical-logistic-regression',
  jobId: 'job-custody',
  parties: [
    { id: 'bank', idColumn: 'id', features: { numeric: ['income'] }, label: { column: 'y', positive: '1', negative: '0' } },
    { id: 'telco', idColumn: 'id', features: { numeric: ['minutes'] } },
  ],
});
const PARTIES = ['bank', 'telco'] as const;
type Party = (typeof PARTIES)[number];
const ROWS = 16;
const FEATURE_SCALE_BITS = 8;
/** Feature-like values on the 2^-8 grid, RMS about 1 (the smudging is sized for RMS <= 2). */
const grid = (seed: number): Float64Array => Float64Array.from({ length: ROWS }, (_, row) => Math.round(Math.sin(seed * 7 + row) * 1.5 * 256) / 256);

const identities = new Map(PARTIES.map((party) => [party, generateIdentity()]));
const identityKeys = new Map<string, KeyObject>([...identities].map(([party, pair]) => [party, loadIdentityPrivateKey(pair.privateKeyPem)]));
const publicKeys = new Map<string, KeyObject>([...identities].map(([party, pair]) => [party, loadIdentityPublicKey(pair.publicKeyPem)]));

describe('threshold vertical custody under attack (2 parties, real threshold CKKS)', () => {
  let context: ThresholdCkksContext;
  let federation: Federation;
  let sum: VerticalSum;
  let coordinator: VerticalCoordinator;
  let verifier: CkksSession;
  const channels = new Map<Party, VerticalChannel>();
  const custodies = new Map<Party, ThresholdVerticalCustody>();
  const sealing = new Map<Party, SealingKeyPair>();
  const disposables: Disposable[] = [];
  const parts = new Map<Party, Uint8Array>();
  const values = new Map<Party, Float64Array>([
    ['bank', grid(1).map((value) => value / 8)],
    ['telco', grid(2).map((value) => value / 8)],
  ]);

  beforeAll(async () => {
    context = await ThresholdCkksContext.create(job.ckks);
    federation = await setUpFederation(context, 2, job.jobId);
    sum = await createVerticalSum('threshold', job.ckks);
    verifier = await CkksSession.create(job.ckks);
    coordinator = new VerticalCoordinator({ job, identities: publicKeys, keyFingerprint: 'f'.repeat(64), sum, intersect: () => new Map() });
    for (const party of PARTIES) {
      coordinator.join({ jobId: job.jobId, participantId: party, protocolVersion: PROTOCOL_VERSION, keyFingerprint: 'f'.repeat(64) }, { send: () => undefined, close: () => undefined });
      sealing.set(party, createSealingKeyPair());
    }
    const smudgingSigmaBits = coefficientSmudgingBits(job.ckks, { parties: 2, maxDecryptions: 100, featureScaleBits: FEATURE_SCALE_BITS, maxAbsFeature: 8, maxColumnRms: 2, rowsPerBatch: ROWS });
    for (const [index, party] of PARTIES.entries()) {
      const judged = await createVerticalEgressGuard(new LedgerWriter(undefined, party, identityKeys.get(party) as KeyObject), job.ckks, { allowPlaintext: false });
      disposables.push(judged);
      const connection = new MemoryVerticalConnection(coordinator, party, (record) => judged.guard.check(record));
      channels.set(party, new VerticalChannel(connection, { jobId: job.jobId, participantId: party, identityKey: identityKeys.get(party) as KeyObject, peerIdentities: publicKeys, guard: judged.guard }));
      const custody = new ThresholdVerticalCustody({
        jobId: job.jobId,
        me: party,
        parties: PARTIES,
        labelHolder: 'bank',
        context,
        session: await CkksSession.create(job.ckks, { publicKey: federation.publicKey }),
        collectivePublicKey: federation.publicKey,
        secretShare: (federation.keys[index] as { secretShare: Uint8Array }).secretShare,
        sealingKey: (sealing.get(party) as SealingKeyPair).privateKey,
        sealingPublicKeys: new Map(PARTIES.map((peer) => [peer, (sealing.get(peer) as SealingKeyPair).publicKey])),
        // bank: income + intercept; telco: minutes.
        featureCounts: new Map([['bank', 2], ['telco', 1]]),
        featureScaleBits: FEATURE_SCALE_BITS,
        clip: 8,
        coefficientSmudgingBits: smudgingSigmaBits,
        scoreSmudgingBits: 40,
        coefficientBudget: new DecryptionBudget(100),
        scoreBudget: new DecryptionBudget(10),
      });
      custodies.set(party, custody);
      disposables.push(custody);
    }
    for (const party of PARTIES) {
      const part = await (custodies.get(party) as ThresholdVerticalCustody).encryptPart(values.get(party) as Float64Array, 'forward-part');
      parts.set(party, part);
      await (channels.get(party) as VerticalChannel).send('forward-part', { epoch: 0, batch: 0 }, part);
    }
  });

  afterAll(() => {
    coordinator.fail('test over');
    for (const disposable of disposables) disposable[Symbol.dispose]();
    sum[Symbol.dispose]();
    verifier.dispose();
    context.dispose();
  });

  const channel = (party: Party): VerticalChannel => channels.get(party) as VerticalChannel;
  const custody = (party: Party): ThresholdVerticalCustody => custodies.get(party) as ThresholdVerticalCustody;
  const forwardSum = async (): Promise<Uint8Array> => (await channel('telco').receive('forward-sum', { epoch: 0, batch: 0, sender: COORDINATOR_SENDER })).payload;
  const signedParts = (): Uint8Array[] => PARTIES.map((party) => parts.get(party) as Uint8Array);

  it('accepts the coordinator\'s genuine forward sum', async () => {
    const genuine = await forwardSum();
    await expect(custody('telco').verifySum(genuine, signedParts(), 'forward sum')).resolves.toBeUndefined();
    expect(() => verifyCiphertextSum(verifier, genuine, signedParts(), 'forward sum')).not.toThrow();
  });

  it('refuses a forward sum that is only the bank\'s part (it would let a host decrypt the bank\'s residual alone)', async () => {
    const bankOnly = sum.sum([parts.get('bank') as Uint8Array], 'bank only');
    const error = await custody('telco').verifySum(bankOnly, signedParts(), 'forward sum of epoch 0 batch 0').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeflError);
    expect((error as HeflError).code).toBe('PROTOCOL_VIOLATION');
    expect((error as Error).message).toMatch(/ciphertext 0 of the coordinator's sum is not the sum of the signed parts; nothing is derived from it/);
  });

  it('refuses a sum of the parts with one part replaced, or of another shape', async () => {
    const swapped = encodeBlobList([await encryptForwardPart(context, federation.publicKey, grid(3).map((value) => value / 8))]);
    const forged = sum.sum([parts.get('bank') as Uint8Array, swapped], 'forged');
    expect(() => verifyCiphertextSum(verifier, forged, signedParts(), 'forward sum')).toThrow(/not the sum of the signed parts/);
    const genuine = decodeBlobList(await forwardSum(), 'sum', 1)[0] as Uint8Array;
    expect(() => verifyCiphertextSum(verifier, encodeBlobList([genuine, genuine]), signedParts(), 'forward sum')).toThrow(/hold different numbers of ciphertexts/);
    // A sum whose signed parts are reordered is still their sum (addition commutes); a part twice is not.
    expect(() => verifyCiphertextSum(verifier, encodeBlobList([genuine]), [parts.get('bank') as Uint8Array, parts.get('bank') as Uint8Array], 'forward sum')).toThrow(/not the sum/);
  });

  it('serves a genuine gradient step: the owner learns <d, x> for its own feature, nobody else can open its shares', async () => {
    const column = grid(4);
    const [sums] = await Promise.all([
      custody('telco').gradientSums(channel('telco'), { epoch: 0, batch: 0, columns: [column], forwardSum: await forwardSum() }),
      custody('bank').serveGradientRequests(channel('bank'), 0, 0),
    ]);
    const d = (values.get('bank') as Float64Array).map((value, row) => value + ((values.get('telco') as Float64Array)[row] as number));
    const expected = column.reduce((total, value, row) => total + value * (d[row] as number), 0);
    expect(sums).toHaveLength(1);
    expect(Math.abs((sums[0] as number) - expected)).toBeLessThan(1e-6);

    const address: VerticalAddress = verticalAddress('coefficient-shares', { epoch: 0, batch: 0, owner: 'telco', sender: 'bank', recipient: 'telco' });
    const box = await channel('telco').receive('coefficient-shares', address);
    const telcoKey = (sealing.get('telco') as SealingKeyPair).privateKey;
    expect(openSealed(telcoKey, box.payload, sealedContext(job.jobId, address))).toHaveLength(16);
    // Another key (the bank's own, or an outsider's) opens nothing.
    for (const key of [(sealing.get('bank') as SealingKeyPair).privateKey, createSealingKeyPair().privateKey]) {
      expect(() => openSealed(key, box.payload, sealedContext(job.jobId, address))).toThrow(CiphertextError);
    }
    // Replayed into another batch, to another owner, or another job, the box does not open either.
    for (const context of [sealedContext(job.jobId, { ...address, batch: 1 }), sealedContext(job.jobId, { ...address, epoch: 1 }), sealedContext('job-other', address)]) {
      expect(() => openSealed(telcoKey, box.payload, context)).toThrow(CiphertextError);
    }
    // And the coordinator never hands it to the bank in the first place.
    await expect(coordinator.fetch('bank', address)).rejects.toThrow(FetchRefusedError);
  });

  const postProducts = async (batch: number, c1s: Uint8Array[]): Promise<void> => {
    const address = verticalAddress('gradient-products', { epoch: 0, batch, owner: 'telco', sender: 'telco' });
    const payload = encodeBlobList(c1s);
    // A misbehaving telco: signed and posted straight to the coordinator, past its own egress guard.
    const receipt = coordinator.post('telco', { address, payload, signature: signVerticalMessage(identityKeys.get('telco') as KeyObject, job.jobId, address, payload) }, new Uint8Array(randomBytes(16)), payload.length);
    expect(receipt).toEqual({ accepted: true });
  };

  it('refuses a party asking for more coefficient decryptions than its declared feature count, and seals nothing', async () => {
    const products = await gradientProducts(context, federation.publicKey, decodeBlobList(await forwardSum(), 'sum', 1)[0] as Uint8Array, [grid(5), grid(6)], { featureScaleBits: FEATURE_SCALE_BITS, maxAbsFeature: 8 });
    await postProducts(1, products.c1);
    const error = await custody('bank').serveGradientRequests(channel('bank'), 0, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyCustodyError);
    expect((error as Error).message).toBe('"telco" asked for 2 coefficient decryptions in batch 1; it declared 1 features');
    let answered = false;
    void coordinator.fetch('telco', verticalAddress('coefficient-shares', { epoch: 0, batch: 1, owner: 'telco', sender: 'bank', recipient: 'telco' })).then(
      () => (answered = true),
      () => undefined,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
  });

  it('refuses to decrypt the same c1 twice (the decryption budget), in a later batch', async () => {
    const earlier = await channel('bank').receive('gradient-products', { epoch: 0, batch: 0, owner: 'telco', sender: 'telco' });
    await postProducts(2, decodeBlobList(earlier.payload, 'products', 1));
    const error = await custody('bank').serveGradientRequests(channel('bank'), 0, 2).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyCustodyError);
    expect((error as Error).message).toMatch(/was already partially decrypted under this key; refusing to decrypt it again/);
  });
});
