import { describe, expect, it } from 'vitest';
import { COORDINATOR_SENDER, VERTICAL_KINDS, verticalAddress, type VerticalKind } from './vertical-address.js';
import { verticalJobSpecSchema } from './vertical-job-spec.js';
import { fetchRefusal, postRefusal, psiRing, type VerticalRoster } from './vertical-rules.js';

// Job order deliberately unsorted: the PSI ring follows the sorted ids (bank, insurer, telco).
const roster: VerticalRoster = { parties: ['telco', 'bank', 'insurer'], labelHolder: 'bank' };

describe('psiRing', () => {
  it('starts at the owner and continues in sorted id order, wrapping round', () => {
    expect(psiRing(roster, 'bank')).toEqual(['bank', 'insurer', 'telco']);
    expect(psiRing(roster, 'insurer')).toEqual(['insurer', 'telco', 'bank']);
    expect(psiRing(roster, 'telco')).toEqual(['telco', 'bank', 'insurer']);
  });

  it('is the same ring whatever the job order', () => {
    const reordered: VerticalRoster = { parties: ['insurer', 'telco', 'bank'], labelHolder: 'bank' };
    for (const owner of roster.parties) expect(psiRing(reordered, owner)).toEqual(psiRing(roster, owner));
  });
});

describe('postRefusal', () => {
  it('accepts the genuine article of every party-made kind', () => {
    const genuine: [string, ReturnType<typeof verticalAddress>][] = [
      ['insurer', verticalAddress('key-seed-commitment', { sender: 'insurer' })],
      ['insurer', verticalAddress('key-public-share', { sender: 'insurer' })],
      ['telco', verticalAddress('sealing-key', { sender: 'telco' })],
      ['telco', verticalAddress('psi-blinded', { owner: 'telco', hop: 0, sender: 'telco' })],
      ['bank', verticalAddress('psi-blinded', { owner: 'telco', hop: 1, sender: 'bank' })],
      ['insurer', verticalAddress('psi-blinded', { owner: 'telco', hop: 2, sender: 'insurer' })],
      ['insurer', verticalAddress('forward-part', { epoch: 1, batch: 2, sender: 'insurer' })],
      ['insurer', verticalAddress('gradient-products', { epoch: 1, batch: 2, owner: 'insurer', sender: 'insurer' })],
      ['telco', verticalAddress('coefficient-shares', { epoch: 1, batch: 2, owner: 'insurer', sender: 'telco', recipient: 'insurer' })],
      ['insurer', verticalAddress('score-part', { epoch: 1, sender: 'insurer' })],
      ['insurer', verticalAddress('score-shares', { epoch: 1, sender: 'insurer', recipient: 'bank' })],
      ['bank', verticalAddress('epoch-metrics', { epoch: 1, sender: 'bank' })],
      ['telco', verticalAddress('done', { sender: 'telco' })],
    ];
    for (const [sender, address] of genuine) expect(postRefusal(roster, sender, address), `${sender} ${address.kind}`).toBeUndefined();
  });

  it('refuses a stranger and a party posting in another party\'s name', () => {
    expect(postRefusal(roster, 'mallory', verticalAddress('done', { sender: 'mallory' }))).toMatch(/"mallory" is not a party/);
    expect(postRefusal(roster, 'insurer', verticalAddress('forward-part', { sender: 'bank' }))).toMatch(/from "insurer" names "bank" as its sender/);
    expect(postRefusal(roster, 'insurer', verticalAddress('forward-part', { sender: COORDINATOR_SENDER }))).toMatch(/names "coordinator" as its sender/);
  });

  it('refuses every coordinator-made kind from any party, whatever the address', () => {
    for (const kind of ['psi-ranks', 'forward-sum', 'score-sum'] as const) {
      for (const sender of roster.parties) {
        expect(postRefusal(roster, sender, verticalAddress(kind, { sender, owner: sender, recipient: sender }))).toBe(`only the coordinator makes ${kind} messages`);
        expect(postRefusal(roster, sender, verticalAddress(kind, { sender }))).toBe(`only the coordinator makes ${kind} messages`);
      }
    }
  });

  it('refuses a PSI hop blinded by the wrong party, beyond the ring, of a stranger\'s list, or addressed to someone', () => {
    // Hop 1 of telco's list belongs to bank; insurer may not pre-empt it (it would then blind twice).
    expect(postRefusal(roster, 'insurer', verticalAddress('psi-blinded', { owner: 'telco', hop: 1, sender: 'insurer' }))).toMatch(/hop 1 of telco's PSI list belongs to "bank", not "insurer"/);
    // Hop 0 is the owner's own list: nobody else may post it.
    expect(postRefusal(roster, 'bank', verticalAddress('psi-blinded', { owner: 'telco', hop: 0, sender: 'bank' }))).toMatch(/belongs to "telco"/);
    expect(postRefusal(roster, 'telco', verticalAddress('psi-blinded', { owner: 'telco', hop: 3, sender: 'telco' }))).toMatch(/PSI hop 3 is beyond the ring of 3 parties/);
    expect(postRefusal(roster, 'telco', verticalAddress('psi-blinded', { owner: 'mallory', hop: 0, sender: 'telco' }))).toMatch(/owner "mallory" is not a party/);
    expect(postRefusal(roster, 'telco', verticalAddress('psi-blinded', { owner: 'telco', hop: 0, sender: 'telco', recipient: 'bank' }))).toBe('a PSI list has no recipient');
  });

  it('refuses coefficient shares for one\'s own gradient, for a stranger, or sealed to anyone but the gradient owner', () => {
    expect(postRefusal(roster, 'telco', verticalAddress('coefficient-shares', { owner: 'telco', sender: 'telco', recipient: 'telco' }))).toMatch(/another party's gradient, not "telco"/);
    expect(postRefusal(roster, 'telco', verticalAddress('coefficient-shares', { owner: 'mallory', sender: 'telco', recipient: 'mallory' }))).toMatch(/another party's gradient/);
    expect(postRefusal(roster, 'telco', verticalAddress('coefficient-shares', { owner: 'insurer', sender: 'telco', recipient: 'bank' }))).toBe('coefficient shares are sealed to the gradient owner only');
    expect(postRefusal(roster, 'telco', verticalAddress('coefficient-shares', { owner: 'insurer', sender: 'telco' }))).toBe('coefficient shares are sealed to the gradient owner only');
  });

  it('refuses score shares sealed to anyone but the label holder', () => {
    expect(postRefusal(roster, 'telco', verticalAddress('score-shares', { sender: 'telco', recipient: 'insurer' }))).toMatch(/label holder "bank" only/);
    expect(postRefusal(roster, 'telco', verticalAddress('score-shares', { sender: 'telco' }))).toMatch(/label holder "bank" only/);
  });

  it('refuses epoch metrics from a host, gradient products for another owner, and a recipient on a broadcast kind', () => {
    expect(postRefusal(roster, 'insurer', verticalAddress('epoch-metrics', { sender: 'insurer' }))).toBe('only the label holder reports epoch metrics');
    expect(postRefusal(roster, 'insurer', verticalAddress('gradient-products', { owner: 'telco', sender: 'insurer' }))).toBe('gradient products are posted by their owner');
    for (const kind of ['key-seed-commitment', 'key-seed-reveal', 'key-share-commitment', 'key-public-share', 'sealing-key', 'forward-part', 'score-part', 'done'] as const) {
      expect(postRefusal(roster, 'insurer', verticalAddress(kind, { sender: 'insurer', recipient: 'bank' }))).toBe(`${kind} messages have no recipient`);
    }
  });
});

describe('fetchRefusal', () => {
  it('refuses a stranger everything', () => {
    for (const kind of VERTICAL_KINDS) expect(fetchRefusal(roster, 'mallory', verticalAddress(kind, { sender: 'bank' }))).toMatch(/"mallory" is not a party/);
  });

  it('refuses the fully blinded (last hop) PSI list to everyone, the owner and the last blinder included', () => {
    for (const owner of roster.parties) {
      const ring = psiRing(roster, owner);
      const last = verticalAddress('psi-blinded', { owner, hop: ring.length - 1, sender: ring[ring.length - 1] as string });
      for (const requester of roster.parties) expect(fetchRefusal(roster, requester, last)).toBe('fully blinded PSI lists go to the coordinator only');
      // Hops past the ring are no better.
      expect(fetchRefusal(roster, owner, { ...last, hop: ring.length + 5 })).toBe('fully blinded PSI lists go to the coordinator only');
    }
  });

  it('gives a PSI hop only to the next blinder of that list', () => {
    // telco's ring: telco, bank, insurer. Hop 0 goes to bank, hop 1 to insurer.
    const hop0 = verticalAddress('psi-blinded', { owner: 'telco', hop: 0, sender: 'telco' });
    const hop1 = verticalAddress('psi-blinded', { owner: 'telco', hop: 1, sender: 'bank' });
    expect(fetchRefusal(roster, 'bank', hop0)).toBeUndefined();
    expect(fetchRefusal(roster, 'insurer', hop0)).toBe('only "bank" blinds the next hop of telco\'s list');
    expect(fetchRefusal(roster, 'telco', hop0)).toBe('only "bank" blinds the next hop of telco\'s list');
    expect(fetchRefusal(roster, 'insurer', hop1)).toBeUndefined();
    expect(fetchRefusal(roster, 'bank', hop1)).toBe('only "insurer" blinds the next hop of telco\'s list');
    expect(fetchRefusal(roster, 'telco', hop1)).toBe('only "insurer" blinds the next hop of telco\'s list');
    // A stranger's "list" has no ring (psiRing would wrap a missing owner round to a real party).
    expect(fetchRefusal(roster, 'bank', verticalAddress('psi-blinded', { owner: 'mallory', hop: 0, sender: 'mallory' }))).toBe('PSI list owner "mallory" is not a party');
  });

  it('gives PSI ranks to their owner only, and only as the coordinator\'s', () => {
    const ranks = verticalAddress('psi-ranks', { owner: 'telco', recipient: 'telco', sender: COORDINATOR_SENDER });
    expect(fetchRefusal(roster, 'telco', ranks)).toBeUndefined();
    expect(fetchRefusal(roster, 'bank', ranks)).toBe('the message is sealed to "telco"');
    expect(fetchRefusal(roster, 'bank', { ...ranks, recipient: '' })).toBe('PSI ranks go to their list owner only');
    expect(fetchRefusal(roster, 'telco', { ...ranks, sender: 'bank' })).toBe('psi-ranks messages come from the coordinator');
  });

  it('refuses coefficient and score shares sealed to someone else', () => {
    const coefficient = verticalAddress('coefficient-shares', { epoch: 0, batch: 1, owner: 'insurer', sender: 'telco', recipient: 'insurer' });
    expect(fetchRefusal(roster, 'insurer', coefficient)).toBeUndefined();
    expect(fetchRefusal(roster, 'bank', coefficient)).toBe('the message is sealed to "insurer"');
    expect(fetchRefusal(roster, 'telco', coefficient)).toBe('the message is sealed to "insurer"');
    const score = verticalAddress('score-shares', { epoch: 0, sender: 'telco', recipient: 'bank' });
    expect(fetchRefusal(roster, 'bank', score)).toBeUndefined();
    expect(fetchRefusal(roster, 'insurer', score)).toBe('the message is sealed to "bank"');
  });

  it('gives sums only as the coordinator made them, and broadcasts to every party', () => {
    for (const kind of ['forward-sum', 'score-sum'] as const) {
      expect(fetchRefusal(roster, 'insurer', verticalAddress(kind, { epoch: 2, sender: COORDINATOR_SENDER }))).toBeUndefined();
      expect(fetchRefusal(roster, 'insurer', verticalAddress(kind, { epoch: 2, sender: 'bank' }))).toBe(`${kind} messages come from the coordinator`);
    }
    const broadcast: VerticalKind[] = ['key-seed-commitment', 'key-public-share', 'sealing-key', 'forward-part', 'gradient-products', 'score-part', 'epoch-metrics', 'done'];
    for (const kind of broadcast) for (const requester of roster.parties) expect(fetchRefusal(roster, requester, verticalAddress(kind, { sender: 'bank', owner: kind === 'gradient-products' ? 'bank' : '' }))).toBeUndefined();
  });
});

describe('the job spec and the reserved sender id', () => {
  const party = (id: string, label = false) => ({ id, idColumn: 'id', features: { numeric: ['x'] }, ...(label ? { label: { column: 'y', positive: '1', negative: '0' } } : {}) });

  it('refuses a party named "coordinator" (its messages would pass as the coordinator\'s, unsigned)', () => {
    const parsed = verticalJobSpecSchema.safeParse({ kind: 'vertical-logistic-regression', jobId: 'j', parties: [party('bank', true), party(COORDINATOR_SENDER)] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/reserved/);
    expect(verticalJobSpecSchema.safeParse({ kind: 'vertical-logistic-regression', jobId: 'j', parties: [party('bank', true), party('telco')] }).success).toBe(true);
  });
});
