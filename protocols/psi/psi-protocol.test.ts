import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intersectBlindedLists } from './intersect.js';
import { runLocalPsi } from './local-run.js';
import { ConfigError, DatasetError } from '../errors.js';
import { PsiError } from './psi-error.js';
import { randomElements } from './x25519-blinding.js';
import { PsiParty } from './psi-party.js';
import { PsiWorkerPool } from './psi-worker-pool.js';
import { normalizeId, psiSettingsSchema, type PsiSettings } from './settings.js';

/** mulberry32: a small seeded PRNG, so every case is reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Overlap = 'random' | 'none' | 'full';

/** Raw ids per party, drawn from a shared universe; formatting differs per party (normalisation undoes it). */
function drawSets(seed: number, parties: number, size: number, overlap: Overlap): string[][] {
  const random = prng(seed);
  const universe = Array.from({ length: size * 3 }, (_, index) => `${100000 + index}`);
  return Array.from({ length: parties }, (_, party) => {
    const chosen = new Set<string>();
    while (chosen.size < size) {
      const pick = Math.floor(random() * universe.length);
      if (overlap === 'full') chosen.add(universe[chosen.size] as string);
      else if (overlap === 'none') chosen.add(`${party}-${universe[pick]}`);
      else chosen.add(universe[pick] as string);
    }
    // Party-specific formatting and row order.
    return [...chosen].sort(() => random() - 0.5).map((id) => (party % 2 === 0 ? ` ${id.slice(0, 3)}-${id.slice(3)} ` : id));
  });
}

const settingsFor = (padTo: number | undefined): PsiSettings => psiSettingsSchema.parse({ normalisation: { removeCharacters: '-' }, ...(padTo === undefined ? {} : { padTo }) });

function newParties(sets: readonly string[][], settings: PsiSettings, pool: PsiWorkerPool, jobId = 'job-1'): PsiParty[] {
  return sets.map((ids, index) => new PsiParty({ jobId, participantId: `party-${String.fromCharCode(97 + index)}`, ids, settings, pool }));
}

/** Every party's alignment equals the plaintext intersection, and all agree on the common order. */
function expectExactAlignment(sets: readonly string[][], settings: PsiSettings, alignments: ReadonlyMap<string, { intersectionSize: number; rowsInCommonOrder: Int32Array }>): void {
  const normalised = sets.map((ids) => ids.map((raw) => normalizeId(raw, settings.normalisation) as string));
  const expected = normalised.reduce((common, ids) => new Set(ids.filter((id) => common.has(id))), new Set(normalised[0]));
  const orders = normalised.map((ids, index) => {
    const alignment = alignments.get(`party-${String.fromCharCode(97 + index)}`);
    if (!alignment) throw new Error('missing alignment');
    expect(alignment.intersectionSize).toBe(expected.size);
    return Array.from(alignment.rowsInCommonOrder, (row) => ids[row] as string);
  });
  expect(new Set(orders[0])).toEqual(expected);
  for (const order of orders) expect(order).toEqual(orders[0]);
}

describe('PSI end to end (in-thread pool)', () => {
  let pool: PsiWorkerPool;
  beforeAll(async () => {
    pool = await PsiWorkerPool.create({ workers: 0 });
  });
  afterAll(async () => {
    await pool.close();
  });

  const cases: [parties: number, size: number, overlap: Overlap, padTo: number | undefined][] = [];
  for (const parties of [2, 3])
    for (const size of [1, 17, 120])
      for (const overlap of ['random', 'none', 'full'] as const)
        for (const padTo of [undefined, size + 13]) cases.push([parties, size, overlap, padTo]);

  it.each(cases)('%i parties × %i ids, %s overlap, padTo %s: alignment is exactly the plaintext intersection', async (parties, size, overlap, padTo) => {
    const sets = drawSets(parties * 1000 + size * 10 + ['random', 'none', 'full'].indexOf(overlap), parties, size, overlap);
    const settings = settingsFor(padTo);
    const team = newParties(sets, settings, pool);
    const { alignments, bytesSent } = await runLocalPsi(team);
    expectExactAlignment(sets, settings, alignments);
    // Every party sent its own list and P−1 hops of equal-length lists.
    for (const party of team) expect(bytesSent.get(party.participantId)).toBe(32 * (padTo ?? size) * parties);
    for (const party of team) party[Symbol.dispose]();
  });

  it('handles a party with no ids (padding only)', async () => {
    const sets = [[], ['1', '2'], ['2', '3']];
    const settings = settingsFor(4);
    const { alignments } = await runLocalPsi(newParties(sets, settings, pool));
    for (const alignment of alignments.values()) expect(alignment.intersectionSize).toBe(0);
  });

  it('pads and shuffles: the own list has padTo elements and does not follow row order', async () => {
    const settings = settingsFor(40);
    const [party] = newParties([Array.from({ length: 30 }, (_, index) => `${index}`)], settings, pool);
    const list = await (party as PsiParty).ownBlindedList();
    expect(list.length).toBe(40 * 32);
    const [again] = newParties([Array.from({ length: 30 }, (_, index) => `${index}`)], settings, pool);
    expect(Buffer.from(await (again as PsiParty).ownBlindedList()).equals(Buffer.from(list))).toBe(false);
  });

  it('refuses more ids than padTo (ConfigError) and duplicate ids (DatasetError)', () => {
    expect(() => newParties([['1', '2', '3']], settingsFor(2), pool)).toThrow(ConfigError);
    expect(() => newParties([['1', '2', '3']], settingsFor(2), pool)).toThrow(/3 ids exceed padTo 2/);
    expect(() => newParties([['1', '2', '1-']], settingsFor(undefined), pool)).toThrow(DatasetError);
  });

  it('runs without a pool (in the calling thread)', async () => {
    const settings = settingsFor(undefined);
    const team = [['1', '2'], ['2', '3']].map((ids, index) => new PsiParty({ jobId: 'job', participantId: `party-${String.fromCharCode(97 + index)}`, ids, settings }));
    const { alignments } = await runLocalPsi(team);
    expect(alignments.get('party-a')?.intersectionSize).toBe(1);
  });

  it('with padTo, refuses an incoming list of any other length', async () => {
    const [owner, peer] = newParties([['1', '2'], ['2', '3']], settingsFor(4), pool);
    const list = await (owner as PsiParty).ownBlindedList();
    await (peer as PsiParty).ownBlindedList();
    await expect((peer as PsiParty).blindForPeer(list.subarray(0, 96))).rejects.toThrow(/3 elements, but padTo is 4/);
    await expect((peer as PsiParty).blindForPeer(Buffer.concat([list, list.subarray(0, 32)]))).rejects.toThrow(/more than the bound 4/);
  });

  it('draws a fresh scalar per party: the same id blinds differently', async () => {
    const [first, second] = newParties([['same-id'], ['same-id']], settingsFor(undefined), pool);
    const a = await (first as PsiParty).ownBlindedList();
    const b = await (second as PsiParty).ownBlindedList();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses a tampered incoming list before blinding it', async () => {
    const [owner, peer] = newParties([['1', '2', '3'], ['2', '3', '4']], settingsFor(undefined), pool);
    const list = await (owner as PsiParty).ownBlindedList();
    await (peer as PsiParty).ownBlindedList();
    const nonCanonical = Uint8Array.from(list);
    nonCanonical[31] = 0xff;
    await expect((peer as PsiParty).blindForPeer(nonCanonical)).rejects.toThrow(/element 0 is not canonical/);
    const duplicated = Uint8Array.from(list);
    duplicated.copyWithin(32, 0, 32);
    await expect((peer as PsiParty).blindForPeer(duplicated)).rejects.toThrow(/element 1 repeats/);
    const lowOrder = Uint8Array.from(list);
    lowOrder.fill(0, 64, 96);
    await expect((peer as PsiParty).blindForPeer(lowOrder)).rejects.toThrow(PsiError);
    await expect((peer as PsiParty).blindForPeer(list.subarray(0, 40))).rejects.toThrow(/whole number/);
  });

  it('refuses forged ranks and works no more once disposed', async () => {
    const sets = [
      ['1', '2', '3', '4'],
      ['2', '3', '4', '5'],
    ];
    const team = newParties(sets, settingsFor(6), pool);
    const owner = team[0] as PsiParty;
    const [ownerList, peerList] = await Promise.all(team.map((party) => party.ownBlindedList()));
    const full = new Map([
      [owner.participantId, await (team[1] as PsiParty).blindForPeer(ownerList as Uint8Array)],
      [(team[1] as PsiParty).participantId, await owner.blindForPeer(peerList as Uint8Array)],
    ]);
    const ranks = intersectBlindedLists(full).get(owner.participantId) as Int32Array;
    expect(owner.alignment(ranks).intersectionSize).toBe(3);
    const real = ranks.findIndex((rank) => rank >= 0);
    const duplicate = Int32Array.from(ranks);
    duplicate[ranks.findIndex((rank, index) => rank >= 0 && index !== real)] = ranks[real] as number;
    expect(() => owner.alignment(duplicate)).toThrow(/rank \d is given twice/);
    const gap = Int32Array.from(ranks); // rank 0 withdrawn: ranks 1, 2 of a 2-element intersection
    gap[ranks.indexOf(0)] = -1;
    expect(() => owner.alignment(gap)).toThrow(/outside/);
    // An extra rank on each −1 position in turn: the two padding positions must be refused (a non-common
    // real row cannot be told from an honest answer, and gives a valid, wrong alignment).
    const refusedAsPadding = Array.from(ranks.keys()).filter((index) => {
      if (ranks[index] !== -1) return false;
      const forged = Int32Array.from(ranks);
      forged[index] = 3;
      try {
        owner.alignment(forged);
        return false;
      } catch (error) {
        return error instanceof PsiError && /padding position/.test(error.message);
      }
    });
    expect(refusedAsPadding).toHaveLength(2);
    owner[Symbol.dispose]();
    await expect(owner.blindForPeer(peerList as Uint8Array)).rejects.toThrow(/disposed/);
  });
});

describe('PSI end to end (worker pool)', () => {
  it('reports a worker’s error with the element’s index in the whole list', async () => {
    const pool = await PsiWorkerPool.create({ workers: 2 });
    try {
      const elements = randomElements(1000);
      elements.fill(0, 700 * 32, 701 * 32);
      await expect(pool.blind(elements, new Uint8Array(32).fill(7))).rejects.toThrow(/element 700 cannot be blinded/);
      await expect(pool.blind(elements, new Uint8Array(32).fill(7))).rejects.toThrow(PsiError);
    } finally {
      await pool.close();
    }
  });

  it('gives the same alignment with two workers per party, 3 parties, padding', async () => {
    const pools = await Promise.all([0, 1, 2].map(() => PsiWorkerPool.create({ workers: 2 })));
    try {
      const sets = drawSets(42, 3, 1500, 'random');
      const settings = settingsFor(1600);
      const team = sets.map((ids, index) => new PsiParty({ jobId: 'job-w', participantId: `party-${String.fromCharCode(97 + index)}`, ids, settings, pool: pools[index] as PsiWorkerPool }));
      const { alignments } = await runLocalPsi(team);
      expectExactAlignment(sets, settings, alignments);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });
});
