import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVerticalService } from '../../proto/load-vertical-service.js';
import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import { coefficientShares, encryptForwardPart, gradientProducts } from '../../protocols/ckks/coefficient/index.js';
import { createDecryptionShare } from '../../protocols/ckks/threshold/decryption-share.js';
import { ThresholdCkksContext } from '../../protocols/ckks/threshold/threshold-context.js';
import { HeflError } from '../../protocols/errors.js';
import { generateIdentity, loadIdentityPrivateKey } from '../../protocols/identity/participant-identity.js';
import { LedgerWriter } from '../../protocols/ledger/ledger-writer.js';
import { randomElements } from '../../protocols/psi/x25519-blinding.js';
import { createSealingKeyPair, sealTo } from '../../protocols/sealed-box/index.js';
import { encodeBlobList } from '../../protocols/vertical/blob-list.js';
import { COORDINATOR_SENDER, verticalAddress, type VerticalAddress, type VerticalKind } from '../../protocols/vertical/vertical-address.js';
import { THRESHOLD_DEFAULT_CKKS } from '../../protocols/ckks/ckks-parameters.js';
import { ckksParametersSchema } from '../../protocols/ckks/ckks-parameters.js';
import { signVerticalMessage } from '../../protocols/vertical/vertical-signing.js';
import { toVerticalChunks, toWireFetchRequest, VERTICAL_CHUNK_BYTES, type VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import { setUpFederation, type Federation } from '../../test/support/vertical-gradient-data.js';
import { sealedContext } from './custody/threshold-vertical-custody.js';
import { createVerticalEgressGuard } from './create-vertical-egress-guard.js';
import type { VerticalEgressGuard } from './vertical-egress-guard.js';

const parameters = ckksParametersSchema.parse(THRESHOLD_DEFAULT_CKKS);
const JOB = 'job-egress';
const ME = 'telco';
const identityKey: KeyObject = loadIdentityPrivateKey(generateIdentity().privateKeyPem);
const column = (seed: number): Float64Array => Float64Array.from({ length: 32 }, (_, row) => Math.round(Math.cos(seed + row) * 256) / 256);

interface LedgerLine {
  readonly messageType: string;
  readonly classification: string;
  readonly refusalReason?: string;
  readonly metadataFields?: Record<string, unknown>;
}

describe('the vertical egress guard (real CKKS, PSI elements, sealed boxes and ledger)', () => {
  let directory: string;
  let ledgerPath: string;
  let guard: VerticalEgressGuard;
  let plaintextGuard: VerticalEgressGuard;
  let context: ThresholdCkksContext;
  let federation: Federation;
  let session: CkksSession;
  const disposables: Disposable[] = [];
  let forwardPart: Uint8Array;
  let c1s: Uint8Array[];
  let coefficientInner: Uint8Array;
  let scoreInner: Uint8Array;
  let scorePart: Uint8Array;
  const recipient = createSealingKeyPair();

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'hefl-egress-'));
    ledgerPath = join(directory, 'egress.jsonl');
    const strict = await createVerticalEgressGuard(new LedgerWriter(ledgerPath, ME, identityKey), parameters, { allowPlaintext: false });
    const lax = await createVerticalEgressGuard(new LedgerWriter(join(directory, 'plaintext.jsonl'), ME, identityKey), parameters, { allowPlaintext: true });
    disposables.push(strict, lax);
    guard = strict.guard;
    plaintextGuard = lax.guard;
    context = await ThresholdCkksContext.create(parameters);
    federation = await setUpFederation(context, 3, JOB);
    session = await CkksSession.create(parameters, { publicKey: federation.publicKey });
    const ciphertext = await encryptForwardPart(context, federation.publicKey, Float64Array.from({ length: 32 }, (_, row) => Math.sin(row) / 4));
    forwardPart = encodeBlobList([ciphertext]);
    c1s = (await gradientProducts(context, federation.publicKey, ciphertext, [column(1), column(2), column(3)])).c1;
    const secretShare = (federation.keys[1] as { secretShare: Uint8Array }).secretShare;
    coefficientInner = new Uint8Array(Buffer.concat(await coefficientShares(context, secretShare, c1s, { smudgingSigmaBits: 36 })));
    const scores = session.encryptVector(Float64Array.from({ length: 20 }, (_, row) => row / 10));
    scorePart = encodeBlobList(scores);
    scoreInner = encodeBlobList(await createDecryptionShare(context, secretShare, scores, { smudgingSigmaBits: 40 }));
  });

  afterAll(() => {
    for (const disposable of disposables) disposable[Symbol.dispose]();
    session.dispose();
    context.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  const ledger = (path = ledgerPath): LedgerLine[] =>
    (existsSync(path) ? readFileSync(path, 'utf8') : '')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LedgerLine);

  const message = (kind: VerticalKind, payload: Uint8Array, fields: Partial<Omit<VerticalAddress, 'kind' | 'sender'>> = {}): VerticalMessage => {
    const address = verticalAddress(kind, { ...fields, sender: ME });
    return { address, payload, signature: signVerticalMessage(identityKey, JOB, address, payload) };
  };

  const postBytes = (chunk: object): Buffer => loadVerticalService().PostVertical.requestSerialize(chunk);

  /** Approves and sends every chunk through check(); returns the ledger lines it added. */
  const accepted = (judge: VerticalEgressGuard, outgoing: VerticalMessage, sealedInner?: Uint8Array, path = ledgerPath): LedgerLine[] => {
    const before = ledger(path).length;
    judge.approve(outgoing, sealedInner);
    for (const chunk of toVerticalChunks(JOB, outgoing)) judge.check({ method: 'PostVertical', bytes: postBytes(chunk) });
    return ledger(path).slice(before);
  };

  /** The guard throws PROTOCOL_VIOLATION, records exactly one 'refused' line with the reason, and approves nothing. */
  const refused = (attempt: () => void, reason: RegExp, path = ledgerPath): void => {
    const before = ledger(path).length;
    let error: unknown;
    try {
      attempt();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HeflError);
    expect((error as HeflError).code).toBe('PROTOCOL_VIOLATION');
    expect((error as Error).message).toMatch(reason);
    const added = ledger(path).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.classification).toBe('refused');
    expect(added[0]?.refusalReason).toMatch(reason);
  };

  /** After a refused approve, no chunk of that message may leave either. */
  const neverApproved = (outgoing: VerticalMessage): void => {
    const [first] = toVerticalChunks(JOB, outgoing);
    refused(() => guard.check({ method: 'PostVertical', bytes: postBytes(first as object) }), /was never approved by the egress guard/);
  };

  describe('accepts the genuine article of each kind', () => {
    it('key-setup values, sealing key, done', () => {
      for (const kind of ['key-seed-commitment', 'key-seed-reveal', 'key-share-commitment', 'sealing-key'] as const) {
        expect(accepted(guard, message(kind, new Uint8Array(randomBytes(32)))).map((line) => line.classification)).toEqual(['metadata']);
      }
      expect(accepted(guard, message('key-public-share', (federation.keys[1] as { publicShare: Uint8Array }).publicShare)).map((line) => line.classification)).toEqual(['ciphertext']);
      expect(accepted(guard, message('done', new Uint8Array(0))).map((line) => line.classification)).toEqual(['metadata']);
    });

    it('a blinded PSI list', () => {
      const lines = accepted(guard, message('psi-blinded', randomElements(50), { owner: ME, hop: 0 }));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ classification: 'ciphertext', metadataFields: { kind: 'psi-blinded', chunkCount: 1 } });
    });

    it('a real forward part and score part (ciphertexts under the collective key)', () => {
      expect(accepted(guard, message('forward-part', forwardPart, { epoch: 0, batch: 0 })).map((line) => line.classification)).toEqual(['ciphertext']);
      expect(accepted(guard, message('score-part', scorePart, { epoch: 0 })).map((line) => line.classification)).toEqual(['ciphertext']);
    });

    it('real gradient-product c1 polynomials', () => {
      expect(accepted(guard, message('gradient-products', encodeBlobList(c1s), { epoch: 0, batch: 0, owner: ME })).map((line) => line.classification)).toEqual(['ciphertext']);
    });

    it('real coefficient shares and score shares, sealed, with their content judged', () => {
      const coefficientAddress = verticalAddress('coefficient-shares', { epoch: 0, batch: 0, owner: 'bank', sender: ME, recipient: 'bank' });
      const sealed = sealTo(recipient.publicKey, coefficientInner, sealedContext(JOB, coefficientAddress));
      expect(accepted(guard, message('coefficient-shares', sealed, { epoch: 0, batch: 0, owner: 'bank', recipient: 'bank' }), coefficientInner)[0]).toMatchObject({ classification: 'ciphertext', metadataFields: { kind: 'coefficient-shares' } });
      const scoreAddress = verticalAddress('score-shares', { epoch: 0, sender: ME, recipient: 'bank' });
      const sealedScores = sealTo(recipient.publicKey, scoreInner, sealedContext(JOB, scoreAddress));
      expect(accepted(guard, message('score-shares', sealedScores, { epoch: 0, recipient: 'bank' }), scoreInner).map((line) => line.classification)).toEqual(['ciphertext']);
    });

    it('the label holder\'s epoch metrics', () => {
      const metrics = Buffer.from(JSON.stringify({ validationAuc: 0.8, validationLoss: 0.41, validationRows: 5000 }));
      expect(accepted(guard, message('epoch-metrics', metrics, { epoch: 2 }))[0]).toMatchObject({ classification: 'metadata' });
    });

    it('a message of several chunks, chunk by chunk; join and fetch requests as metadata', () => {
      // Custody none (the cheap way to a payload past one chunk): 2.4 MiB of float64 values.
      const path = join(directory, 'plaintext.jsonl');
      const big = message('forward-part', encodeBlobList([new Uint8Array(new Float64Array(Math.ceil((VERTICAL_CHUNK_BYTES * 1.2) / 8)).fill(0.5).buffer)]), { epoch: 9, batch: 0 });
      expect(accepted(plaintextGuard, big, undefined, path).map((line) => [line.metadataFields?.chunkIndex, line.classification])).toEqual([
        [0, 'plaintext'],
        [1, 'plaintext'],
      ]);
      const fetch = loadVerticalService().FetchVertical.requestSerialize(toWireFetchRequest(JOB, ME, verticalAddress('forward-sum', { sender: COORDINATOR_SENDER })));
      const before = ledger().length;
      guard.check({ method: 'FetchVertical', bytes: fetch });
      expect(ledger().slice(before)).toMatchObject([{ messageType: 'FetchVertical', classification: 'metadata' }]);
    });
  });

  describe('refuses, records and sends nothing', () => {
    it('a PSI list with a low-order, a non-canonical or a repeated element, or a ragged length', () => {
      const lowOrder = randomElements(4);
      lowOrder.fill(0, 64, 96);
      refused(() => guard.approve(message('psi-blinded', lowOrder, { owner: ME, hop: 0 })), /PSI list: .*element 2/);
      neverApproved(message('psi-blinded', lowOrder, { owner: ME, hop: 0 }));
      const nonCanonical = randomElements(4);
      nonCanonical.fill(0xff, 32, 64);
      refused(() => guard.approve(message('psi-blinded', nonCanonical, { owner: ME, hop: 0 })), /PSI list: .*element 1/);
      const repeated = randomElements(3);
      repeated.copyWithin(64, 0, 32);
      refused(() => guard.approve(message('psi-blinded', repeated, { owner: ME, hop: 0 })), /element 2 repeats an earlier element/);
      refused(() => guard.approve(message('psi-blinded', randomElements(2).subarray(0, 50), { owner: ME, hop: 0 })), /not a whole number of 32-byte elements/);
    });

    it('a forward part that is not a ciphertext (plain float64 values), unless custody none is allowed: then "plaintext"', () => {
      const values = encodeBlobList([new Uint8Array(Float64Array.from([0.1, -0.2, 0.3]).buffer)]);
      refused(() => guard.approve(message('forward-part', values, { epoch: 0, batch: 1 })), /forward-part: a payload item is not a ciphertext under the federation parameters/);
      neverApproved(message('forward-part', values, { epoch: 0, batch: 1 }));
      refused(() => guard.approve(message('score-part', values, { epoch: 1 })), /score-part: a payload item is not a ciphertext/);
      const path = join(directory, 'plaintext.jsonl');
      expect(accepted(plaintextGuard, message('forward-part', values, { epoch: 0, batch: 1 }), undefined, path).map((line) => line.classification)).toEqual(['plaintext']);
      // Even with plaintext allowed, bytes that are not whole float64 values are refused.
      refused(() => plaintextGuard.approve(message('forward-part', encodeBlobList([new Uint8Array(7)]), { epoch: 0, batch: 2 })), /not a ciphertext/, path);
      // A raw ciphertext not in a blob list is not a forward part.
      refused(() => guard.approve(message('forward-part', randomBytes(200), { epoch: 0, batch: 3 })), /forward-part/);
    });

    it('gradient products that are not c1 polynomials, or more of them than maxFeaturesPerParty', () => {
      refused(() => guard.approve(message('gradient-products', forwardPart, { epoch: 0, batch: 4, owner: ME })), /gradient product 0: /);
      refused(() => guard.approve(message('gradient-products', encodeBlobList([c1s[0] as Uint8Array, new Uint8Array(randomBytes(1000))]), { epoch: 0, batch: 4, owner: ME })), /gradient product 1: /);
      guard.setMaxFeaturesPerParty(2);
      try {
        refused(() => guard.approve(message('gradient-products', encodeBlobList(c1s), { epoch: 0, batch: 4, owner: ME })), /3 items, at most 2 allowed/);
        expect(accepted(guard, message('gradient-products', encodeBlobList(c1s.slice(0, 2)), { epoch: 0, batch: 4, owner: ME }))).toHaveLength(1);
      } finally {
        guard.setMaxFeaturesPerParty(512);
      }
    });

    it('coefficient and score shares sent unsealed, sealed at a size other than the judged content, or whose content is not residues', () => {
      const at = { epoch: 1, batch: 0, owner: 'bank', recipient: 'bank' };
      const address = verticalAddress('coefficient-shares', { ...at, sender: ME });
      refused(() => guard.approve(message('coefficient-shares', coefficientInner, at)), /coefficient-shares may leave only sealed, with their content judged first/);
      refused(() => guard.approve(message('score-shares', scoreInner, { epoch: 1, recipient: 'bank' })), /score-shares may leave only sealed/);
      // Sealed with something appended: the box is larger than what was judged.
      const smuggled = sealTo(recipient.publicKey, new Uint8Array(Buffer.concat([coefficientInner, randomBytes(16)])), sealedContext(JOB, address));
      refused(() => guard.approve(message('coefficient-shares', smuggled, at), coefficientInner), /the sealed box is not the size of its judged content/);
      // Content that is not residues modulo the primes (top bits set), or not whole shares.
      const notResidues = Uint8Array.from(coefficientInner);
      notResidues[7] = 0xff;
      refused(() => guard.approve(message('coefficient-shares', sealTo(recipient.publicKey, notResidues, sealedContext(JOB, address)), at), notResidues), /not residues modulo the federation primes/);
      const partial = coefficientInner.subarray(0, 20);
      refused(() => guard.approve(message('coefficient-shares', sealTo(recipient.publicKey, partial, sealedContext(JOB, address)), at), partial), /20 bytes are not whole 16-byte coefficient shares/);
      const notShares = encodeBlobList([new Uint8Array(randomBytes(100))]);
      refused(() => guard.approve(message('score-shares', sealTo(recipient.publicKey, notShares, new Uint8Array(0)), { epoch: 1, recipient: 'bank' }), notShares), /score-shares: a score share is not a threshold share/);
    });

    it('epoch metrics with an extra field, a missing one, non-finite or non-numeric values, or not JSON', () => {
      const metrics = (value: object | string): Uint8Array => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
      const base = { validationAuc: 0.8, validationLoss: 0.4, validationRows: 100 };
      refused(() => guard.approve(message('epoch-metrics', metrics({ ...base, topCustomer: 'id-123' }), { epoch: 3 })), /epoch metrics must be exactly/);
      refused(() => guard.approve(message('epoch-metrics', metrics({ validationAuc: 0.8, validationLoss: 0.4 }), { epoch: 3 })), /epoch metrics must be exactly/);
      refused(() => guard.approve(message('epoch-metrics', metrics('{"validationAuc":1e999,"validationLoss":0.4,"validationRows":100}'), { epoch: 3 })), /as finite numbers/);
      refused(() => guard.approve(message('epoch-metrics', metrics({ ...base, validationRows: '100' }), { epoch: 3 })), /as finite numbers/);
      refused(() => guard.approve(message('epoch-metrics', metrics('not json'), { epoch: 3 })), /epoch metrics are not JSON/);
    });

    it('a done with a payload, key values of the wrong size, and every coordinator-made kind', () => {
      refused(() => guard.approve(message('done', new Uint8Array([1]))), /a done message carries nothing/);
      refused(() => guard.approve(message('sealing-key', new Uint8Array(33))), /a sealing-key value must be 32 bytes, not 33/);
      refused(() => guard.approve(message('key-public-share', new Uint8Array(randomBytes(64)))), /the public-key share is not a threshold share/);
      for (const kind of ['psi-ranks', 'forward-sum', 'score-sum'] as const) {
        refused(() => guard.approve(message(kind, forwardPart, { owner: ME, recipient: ME })), new RegExp(`a party never sends ${kind}`));
      }
    });

    it('a chunk whose message was never approved', () => {
      neverApproved(message('forward-part', forwardPart, { epoch: 5, batch: 0 }));
    });

    it('a chunk that carries bytes outside its declared fields (an unknown protobuf field appended)', () => {
      const outgoing = message('forward-part', forwardPart, { epoch: 6, batch: 0 });
      guard.approve(outgoing);
      const [chunk] = toVerticalChunks(JOB, outgoing);
      // Field 15, varint: tag (15 << 3) | 0, then a value: the decoder skips it, the bytes would still leave.
      const smuggling = Buffer.concat([postBytes(chunk as object), Buffer.from([0x78, 0x2a])]);
      refused(() => guard.check({ method: 'PostVertical', bytes: smuggling }), /carries bytes outside its declared fields/);
      // The same goes for the other requests.
      const fetch = loadVerticalService().FetchVertical.requestSerialize(toWireFetchRequest(JOB, ME, verticalAddress('forward-sum', { sender: COORDINATOR_SENDER })));
      refused(() => guard.check({ method: 'FetchVertical', bytes: Buffer.concat([fetch, Buffer.from([0x78, 0x01])]) }), /carries bytes outside its declared fields/);
      refused(() => guard.check({ method: 'PostVertical', bytes: Buffer.from([0x0a, 0xff, 0xff]) }), /not a valid PostVertical message/);
      // The approved message itself still goes out.
      guard.check({ method: 'PostVertical', bytes: postBytes(chunk as object) });
    });

    it('a fetch or join request with an oversized nonce or bad ids, and any request naming another job', () => {
      const fetchMethod = loadVerticalService().FetchVertical;
      const genuine = toWireFetchRequest(JOB, ME, verticalAddress('forward-sum', { sender: COORDINATOR_SENDER }));
      refused(() => guard.check({ method: 'FetchVertical', bytes: fetchMethod.requestSerialize({ ...genuine, nonce: randomBytes(4096) }) }), /nonce: is not a 16-byte nonce/);
      refused(() => guard.check({ method: 'FetchVertical', bytes: fetchMethod.requestSerialize({ ...genuine, participantId: 'Telco exfiltrated 42' }) }), /participantId/);
      refused(() => guard.check({ method: 'FetchVertical', bytes: fetchMethod.requestSerialize({ ...genuine, jobId: 'job-secret-42' }) }), /names job "job-secret-42"; this node's requests are for "job-egress"/);
      const joinMethod = loadVerticalService().JoinVertical;
      const join = { jobId: JOB, participantId: ME, protocolVersion: 3, keyFingerprint: 'f'.repeat(64), nonce: randomBytes(16), resuming: false, lastAppliedRound: 0, catchUp: false };
      refused(() => guard.check({ method: 'JoinVertical', bytes: joinMethod.requestSerialize({ ...join, nonce: randomBytes(100) }) }), /nonce/);
      const before = ledger().length;
      guard.check({ method: 'JoinVertical', bytes: joinMethod.requestSerialize(join) });
      expect(ledger().slice(before)).toMatchObject([{ messageType: 'JoinVertical', classification: 'metadata' }]);
      // A post chunk for another job, of an approved address: refused before its payload is even compared.
      const outgoing = message('forward-part', forwardPart, { epoch: 8, batch: 0 });
      guard.approve(outgoing);
      refused(() => guard.check({ method: 'PostVertical', bytes: postBytes(toVerticalChunks('job-other', outgoing)[0] as object) }), /names job "job-other"/);
      guard.check({ method: 'PostVertical', bytes: postBytes(toVerticalChunks(JOB, outgoing)[0] as object) });
    });

    it('an approved address carrying other payload bytes, another signature, or another chunk count', () => {
      const outgoing = message('forward-part', forwardPart, { epoch: 7, batch: 0 });
      guard.approve(outgoing);
      const [chunk] = toVerticalChunks(JOB, outgoing) as [Record<string, unknown>];
      const swapped = Buffer.from(forwardPart);
      swapped[swapped.length - 1] = (swapped[swapped.length - 1] as number) ^ 1;
      refused(() => guard.check({ method: 'PostVertical', bytes: postBytes({ ...chunk, payload: swapped }) }), /chunk 0 of forward-part\/7\/0\/\/0\/telco\/ is not the approved payload/);
      refused(() => guard.check({ method: 'PostVertical', bytes: postBytes({ ...chunk, signature: randomBytes(64) }) }), /does not carry the approved message's payload hash and signature/);
      refused(() => guard.check({ method: 'PostVertical', bytes: postBytes({ ...chunk, chunkCount: 2, payload: Buffer.concat([forwardPart, Buffer.alloc(VERTICAL_CHUNK_BYTES - forwardPart.length)]).subarray(0, VERTICAL_CHUNK_BYTES) }) }), /announces 2 chunks; the approved message has 1/);
      guard.check({ method: 'PostVertical', bytes: postBytes(chunk) });
      // Once fully sent, the approval is spent: a resend of the same bytes needs a new approval.
      refused(() => guard.check({ method: 'PostVertical', bytes: postBytes(chunk) }), /was never approved/);
    });
  });
});
