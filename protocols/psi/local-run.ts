/**
 * The whole protocol in one process, message for message as the coordinator would relay it: for tests
 * and the bench (a real deployment sends the same byte arrays over the wire). Parties run their hops
 * concurrently, hop by hop, as they would on separate machines.
 */
import { intersectBlindedLists } from './intersect.js';
import type { PsiAlignment, PsiParty } from './psi-party.js';
import { decodeRanks, encodeRanks } from './ranks.js';
import { ringSchedule } from './ring.js';

export interface LocalPsiResult {
  readonly alignments: Map<string, PsiAlignment>;
  /** Bytes each party sent (own list, its hops, nothing else). */
  readonly bytesSent: Map<string, number>;
  /** Bytes the coordinator sent (relayed lists and ranks). */
  readonly coordinatorBytesSent: number;
  /** Seconds per phase: 'own lists', 'hop 1' …, 'intersection', 'alignment'. */
  readonly phaseSeconds: Map<string, number>;
}

export async function runLocalPsi(parties: readonly PsiParty[]): Promise<LocalPsiResult> {
  const byId = new Map(parties.map((party) => [party.participantId, party]));
  const routes = ringSchedule(parties.map((party) => party.participantId));
  const bytesSent = new Map(parties.map((party) => [party.participantId, 0]));
  const phaseSeconds = new Map<string, number>();
  let coordinatorBytesSent = 0;
  const sent = (participantId: string, bytes: number): void => {
    bytesSent.set(participantId, (bytesSent.get(participantId) ?? 0) + bytes);
  };
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    phaseSeconds.set(phase, (performance.now() - start) / 1000);
    return result;
  };

  // Current state of each owner's list as held by the coordinator.
  const lists = new Map<string, Uint8Array>();
  await timed('own lists', async () => {
    const own = await Promise.all(parties.map((party) => party.ownBlindedList()));
    parties.forEach((party, index) => {
      lists.set(party.participantId, own[index] as Uint8Array);
      sent(party.participantId, (own[index] as Uint8Array).length);
    });
  });
  for (let hop = 0; hop < routes.length - 1; hop += 1) {
    await timed(`hop ${hop + 1}`, async () => {
      const blinded = await Promise.all(
        routes.map(async ({ owner, hops }) => {
          const blinder = hops[hop] as string;
          const incoming = lists.get(owner) as Uint8Array;
          coordinatorBytesSent += incoming.length;
          const result = await (byId.get(blinder) as PsiParty).blindForPeer(incoming);
          sent(blinder, result.length);
          return [owner, result] as const;
        }),
      );
      for (const [owner, list] of blinded) lists.set(owner, list);
    });
  }
  const ranks = await timed('intersection', async () => intersectBlindedLists(lists));
  const alignments = await timed('alignment', async () => {
    const result = new Map<string, PsiAlignment>();
    for (const party of parties) {
      const wire = encodeRanks(ranks.get(party.participantId) as Int32Array);
      coordinatorBytesSent += wire.length;
      result.set(party.participantId, party.alignment(decodeRanks(wire, party.listLength)));
    }
    return result;
  });
  return { alignments, bytesSent, coordinatorBytesSent, phaseSeconds };
}
