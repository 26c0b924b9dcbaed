import type { Logger } from 'pino';
import { decodeRanks } from '../../protocols/psi/ranks.js';
import { PsiParty, type PsiAlignment } from '../../protocols/psi/psi-party.js';
import { PsiWorkerPool } from '../../protocols/psi/psi-worker-pool.js';
import type { PsiSettings } from '../../protocols/psi/settings.js';
import { COORDINATOR_SENDER } from '../../protocols/vertical/vertical-address.js';
import { psiRing, type VerticalRoster } from '../../protocols/vertical/vertical-rules.js';
import type { VerticalChannel } from './vertical-channel.js';

/**
 * Private set intersection over the vertical mailbox (protocols/psi/index.ts has the protocol and its
 * security argument): this party blinds its own list and posts it, blinds each list for which it is
 * the next hop of the ring, and receives from the coordinator only the common rank of each position
 * of its own list. It returns its rows in the common order; no id leaves, blinded or not, except as a
 * blinded group element.
 */
export async function runVerticalPsi(
  channel: VerticalChannel,
  options: { jobId: string; roster: VerticalRoster; ids: readonly string[]; settings: PsiSettings; logger?: Logger; workers?: number; /** 0: the training intersection; 1: the scoring one. */ round?: number },
): Promise<PsiAlignment> {
  const me = channel.participantId;
  const batch = options.round ?? 0;
  const started = Date.now();
  await using pool = await PsiWorkerPool.create(options.workers === undefined ? {} : { workers: options.workers });
  using party = new PsiParty({ jobId: options.jobId, participantId: me, ids: options.ids, settings: options.settings, pool });
  if (party.prepared.droppedEmpty > 0) options.logger?.warn({ emptyIds: party.prepared.droppedEmpty }, 'rows with an empty id (after normalisation) take no part in the intersection');
  await channel.send('psi-blinded', { owner: me, hop: 0, batch }, await party.ownBlindedList());
  // Every list this party blinds: the lists of the owners whose ring has it at hop h > 0.
  const myHops = options.roster.parties
    .filter((owner) => owner !== me)
    .map((owner) => ({ owner, ring: psiRing(options.roster, owner) }))
    .map(({ owner, ring }) => ({ owner, ring, hop: ring.indexOf(me) }));
  // Hop h needs hop h - 1, which may wait on this party's earlier hops: handle them in hop order.
  for (const { owner, ring, hop } of myHops.sort((left, right) => left.hop - right.hop)) {
    const previous = await channel.receive('psi-blinded', { owner, hop: hop - 1, batch, sender: ring[hop - 1] as string });
    await channel.send('psi-blinded', { owner, hop, batch }, await party.blindForPeer(previous.payload));
  }
  const ranks = await channel.receive('psi-ranks', { owner: me, recipient: me, batch, sender: COORDINATOR_SENDER });
  const alignment = party.alignment(decodeRanks(ranks.payload, party.listLength));
  options.logger?.info({ ownRows: options.ids.length, intersectionSize: alignment.intersectionSize, seconds: (Date.now() - started) / 1000 }, batch === 0 ? 'private set intersection done' : 'scoring intersection done');
  return alignment;
}
