import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CkksSession, liveSealHandleCount } from '../ckks/ckks-session.js';
import { WireMessageError } from '../errors.js';
import type { CkksParameters } from '../job/job-spec.js';
import { EncryptedSumAggregator } from './encrypted-sum-aggregator.js';
import { federatedAverageReference, type PlainUpdate } from './federated-average-reference.js';

const parameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [60, 40, 40, 60], scaleBits: 40 };

function seededUpdates(parties: number, length: number, seed: number): PlainUpdate[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: parties }, () => ({
    delta: Float64Array.from({ length }, () => (next() - 0.5) * 0.2),
    sampleCount: 50 + Math.floor(next() * 20_000),
  }));
}

let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
let participant: CkksSession;
let coordinator: CkksSession;
let handlesBefore: number;

beforeAll(async () => {
  handlesBefore = liveSealHandleCount();
  const generator = await CkksSession.create(parameters);
  keys = generator.generateKeyPair();
  generator.dispose();
  participant = await CkksSession.create(parameters, keys);
  coordinator = await CkksSession.create(parameters, { publicKey: keys.publicKey });
});

afterAll(() => {
  participant.dispose();
  coordinator.dispose();
  expect(liveSealHandleCount()).toBe(handlesBefore);
});

function encryptedFederatedAverage(updates: readonly PlainUpdate[], options: { abortAfterOneChunk?: PlainUpdate } = {}): Float64Array {
  const vectorLength = updates[0]?.delta.length ?? 0;
  const layout = { vectorLength, chunkCount: coordinator.chunkCountFor(vectorLength) };
  using aggregator = new EncryptedSumAggregator(coordinator, layout);
  const submit = (update: PlainUpdate, id: string, breakAfter?: number): void => {
    // Weighting happens before encryption: the participant sends Enc(n_i * delta_i) and n_i.
    const weighted = Float64Array.from(update.delta, (value) => value * update.sampleCount);
    const chunks = participant.encryptVector(weighted);
    const contribution = aggregator.begin(id, update.sampleCount);
    chunks.forEach((bytes, index) => {
      if (breakAfter !== undefined && index >= breakAfter) return;
      contribution.accept(index, bytes);
    });
    if (breakAfter !== undefined) contribution.abort();
    else contribution.commit();
  };
  updates.forEach((update, index) => {
    if (index === 1 && options.abortAfterOneChunk) submit(options.abortAfterOneChunk, 'dropped', 1);
    submit(update, `party-${index}`);
  });
  const aggregate = aggregator.finalize();
  expect(aggregate.contributors).toHaveLength(updates.length);
  const sum = participant.decryptVector(aggregate.chunks, vectorLength);
  return sum.map((value) => value / aggregate.totalWeight);
}

function maxAbsoluteError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let index = 0; index < a.length; index += 1) max = Math.max(max, Math.abs((a[index] as number) - (b[index] as number)));
  return max;
}

describe('EncryptedSumAggregator', () => {
  it.each([3, 10])('encrypted FedAvg equals plaintext FedAvg for %i parties within 1e-5', (parties) => {
    const updates = seededUpdates(parties, 10_000, parties);
    const encrypted = encryptedFederatedAverage(updates);
    expect(maxAbsoluteError(encrypted, federatedAverageReference(updates))).toBeLessThan(1e-5);
  });

  it('subtracts a broken stream exactly, so a half-received update never enters the aggregate', () => {
    const updates = seededUpdates(3, 10_000, 7);
    const dropped = seededUpdates(1, 10_000, 99)[0] as PlainUpdate;
    const encrypted = encryptedFederatedAverage(updates, { abortAfterOneChunk: dropped });
    expect(maxAbsoluteError(encrypted, federatedAverageReference(updates))).toBeLessThan(1e-5);
  });

  it('rejects out-of-order, duplicate and incomplete contributions', () => {
    const layout = { vectorLength: 10_000, chunkCount: 2 };
    using aggregator = new EncryptedSumAggregator(coordinator, layout);
    const chunks = participant.encryptVector(new Float64Array(10_000).fill(1));
    const first = aggregator.begin('a', 10);
    expect(() => first.accept(1, chunks[1] as Uint8Array)).toThrow(WireMessageError);
    first.accept(0, chunks[0] as Uint8Array);
    expect(() => first.commit()).toThrow(/after 1 of 2 chunks/);
    first.abort();
    const second = aggregator.begin('a', 10);
    second.accept(0, chunks[0] as Uint8Array);
    second.accept(1, chunks[1] as Uint8Array);
    second.commit();
    expect(() => aggregator.begin('a', 10)).toThrow(/already contributed/);
    expect(() => aggregator.begin('b', 0)).toThrow(/positive/);
    expect(aggregator.finalize().totalWeight).toBe(10);
  });
});
