/**
 * Test fixture: an N-party federation with its N-of-N key shares and collective key, reshared t-of-N in
 * memory (every share through a real sealed, signed envelope unless `sealed: false`), plus helpers to
 * encrypt, sum and decrypt with a committee. Not used by production code.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createSealingKeyPair, type SealingKeyPair } from '../../../sealed-box/index.js';
import { CkksSession } from '../../ckks-session.js';
import { collectiveKeyFingerprint, combinePublicShares } from '../../threshold/collective-public-key.js';
import { createSeedContribution, deriveCommonSeed } from '../../threshold/common-seed.js';
import { createKeyShare, type KeyShare } from '../../threshold/key-share.js';
import type { ThresholdCkksContext } from '../../threshold/threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS } from '../../threshold/threshold-parameters.js';
import { combineCommitteeShares, createCommitteeDecryptionShare } from '../combiner.js';
import { openShamirShare, sealShamirShare } from '../sealed-shamir-share.js';
import { aggregateShamirShares, thresholdizeKeyShare, type ResharingContext } from '../thresholdizer.js';

export interface TofnFederation {
  readonly ids: readonly string[];
  readonly keys: ReadonlyMap<string, KeyShare>;
  readonly publicKey: Uint8Array;
  readonly resharing: ResharingContext;
  /** S(α_j) per member, SEAL SecretKey bytes. */
  readonly thresholdShares: Map<string, Uint8Array>;
  /** Sealed envelope bytes per sender (what the coordinator would relay), for the byte counts. */
  readonly sealedBytesBySender: ReadonlyMap<string, number>;
  wipe(): void;
}

export interface Member {
  readonly identity: { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  readonly sealing: SealingKeyPair;
}

export function newMembers(ids: readonly string[]): Map<string, Member> {
  return new Map(ids.map((id) => [id, { identity: generateKeyPairSync('ed25519'), sealing: createSealingKeyPair() }]));
}

/**
 * Sets up N parties (ids p1..pN), reshares with threshold t. `corrupt(from, to, share)` may alter a
 * plaintext share before it is sealed (a misbehaving sender).
 */
export async function setUpTofnFederation(
  context: ThresholdCkksContext,
  parties: number,
  threshold: number,
  options: { readonly jobId?: string; readonly corrupt?: (from: string, to: string, share: Uint8Array) => void } = {},
): Promise<TofnFederation> {
  const jobId = options.jobId ?? `tofn-${parties}-${threshold}`;
  const ids = Array.from({ length: parties }, (_, index) => `p${index + 1}`);
  const reveals = ids.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId, participantId }).seed }));
  const commonSeed = deriveCommonSeed(jobId, reveals);
  const keys = new Map<string, KeyShare>();
  for (const id of ids) keys.set(id, await createKeyShare(context, commonSeed));
  const publicKey = await combinePublicShares(context, commonSeed, [...keys.values()].map((key) => key.publicShare));
  const resharing: ResharingContext = { jobId, epoch: 1, keyFingerprint: collectiveKeyFingerprint(publicKey), roster: ids, threshold };
  const members = newMembers(ids);
  const inbox = new Map<string, Map<string, Uint8Array>>(ids.map((id) => [id, new Map()]));
  const sealedBytesBySender = new Map<string, number>();
  for (const from of ids) {
    const shares = await thresholdizeKeyShare(context, (keys.get(from) as KeyShare).secretShare, resharing, from);
    let sealedBytes = 0;
    for (const [to, share] of shares) {
      options.corrupt?.(from, to, share);
      if (to === from) {
        inbox.get(to)?.set(from, share);
        continue;
      }
      const envelope = sealShamirShare(share, resharing, { from, to }, { recipientSealingKey: members.get(to)!.sealing.publicKey, senderIdentityKey: members.get(from)!.identity.privateKey });
      share.fill(0);
      sealedBytes += envelope.length;
      const opened = openShamirShare(envelope, resharing, { from, to }, { recipientSealingPrivateKey: members.get(to)!.sealing.privateKey, senderIdentityPublicKey: members.get(from)!.identity.publicKey });
      inbox.get(to)?.set(from, opened);
    }
    sealedBytesBySender.set(from, sealedBytes);
  }
  const thresholdShares = new Map<string, Uint8Array>();
  for (const id of ids) {
    const received = inbox.get(id) as Map<string, Uint8Array>;
    thresholdShares.set(id, await aggregateShamirShares(context, received, resharing, id));
    for (const share of received.values()) share.fill(0);
  }
  return {
    ids,
    keys,
    publicKey,
    resharing,
    thresholdShares,
    sealedBytesBySender,
    wipe() {
      for (const key of keys.values()) key.secretShare.fill(0);
      for (const share of thresholdShares.values()) share.fill(0);
    },
  };
}

/** Encrypts each vector under the collective key and returns the serialized sum, chunk by chunk. */
export async function encryptedSum(context: ThresholdCkksContext, publicKey: Uint8Array, vectors: readonly Float64Array[]): Promise<Uint8Array[]> {
  const session = await CkksSession.create(context.parameters, { publicKey });
  try {
    let sum: Uint8Array[] | undefined;
    for (const values of vectors) {
      const encrypted = session.encryptVector(values);
      if (!sum) {
        sum = encrypted;
        continue;
      }
      sum = sum.map((bytes, chunk) => {
        const accumulator = session.loadCiphertext(bytes, `sum chunk ${chunk}`);
        const addend = session.loadCiphertext(encrypted[chunk] as Uint8Array, `chunk ${chunk}`);
        try {
          session.addInPlace(accumulator, addend);
          return session.serializeCiphertext(accumulator);
        } finally {
          session.release(addend);
          session.release(accumulator);
        }
      });
    }
    return sum ?? [];
  } finally {
    session.dispose();
  }
}

/** Each committee member's partial decryption, combined: what one round's decryption does. */
export async function decryptWithCommittee(
  context: ThresholdCkksContext,
  federation: TofnFederation,
  committee: readonly string[],
  chunks: readonly Uint8Array[],
  length: number,
): Promise<Float64Array> {
  const { roster, threshold } = federation.resharing;
  const shares = new Map<string, Uint8Array[]>();
  for (const self of committee) {
    shares.set(self, await createCommitteeDecryptionShare(context, federation.thresholdShares.get(self) as Uint8Array, { roster, threshold, self, committee }, chunks, { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS }));
  }
  return combineCommitteeShares(context, chunks, { roster, threshold, committee }, shares, length);
}

/** Every t-subset of `ids`, in lexicographic order. */
export function subsetsOf<T>(ids: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (ids.length < size) return [];
  const [first, ...rest] = ids as [T, ...T[]];
  return [...subsetsOf(rest, size - 1).map((subset) => [first, ...subset]), ...subsetsOf(rest, size)];
}

/** Deterministic test data with magnitudes like n_i · δ_i. */
export function testVector(length: number, seed: number, magnitude: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * magnitude;
  });
}

export function maxAbsError(actual: Float64Array, expected: Float64Array): number {
  let max = 0;
  for (let index = 0; index < expected.length; index += 1) max = Math.max(max, Math.abs((actual[index] as number) - (expected[index] as number)));
  return max;
}
