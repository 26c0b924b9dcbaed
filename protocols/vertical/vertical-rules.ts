import { COORDINATOR_SENDER, type VerticalAddress, type VerticalKind } from './vertical-address.js';

/**
 * Who may post and who may fetch each vertical message: the coordinator enforces these on every
 * request (a party cannot post in another's name, fetch a sealed share addressed to someone else, or
 * read a PSI list it is not the next hop for), and the parties use the same rules to address what
 * they send and fetch.
 */
export interface VerticalRoster {
  /** Party ids in job order. */
  readonly parties: readonly string[];
  readonly labelHolder: string;
}

/** The ring an owner's PSI list travels: owner first, then the others in sorted order from it. */
export function psiRing(roster: VerticalRoster, owner: string): string[] {
  const sorted = [...roster.parties].sort();
  const start = sorted.indexOf(owner);
  return sorted.map((_, index) => sorted[(start + index) % sorted.length] as string);
}

/** Kinds the coordinator makes itself; a party may never post them. */
const COORDINATOR_KINDS: ReadonlySet<VerticalKind> = new Set(['psi-ranks', 'forward-sum', 'score-sum']);
/** Kinds posted once per party per job (or per step), broadcast to every party. */
const BROADCAST_KINDS: ReadonlySet<VerticalKind> = new Set([
  'key-seed-commitment',
  'key-seed-reveal',
  'key-share-commitment',
  'key-public-share',
  'sealing-key',
  'forward-part',
  'gradient-products',
  'score-part',
  'epoch-metrics',
  'done',
]);

/** Why `sender` may not post a message at `address`, or undefined when it may. */
export function postRefusal(roster: VerticalRoster, sender: string, address: VerticalAddress): string | undefined {
  if (!roster.parties.includes(sender)) return `"${sender}" is not a party of this job`;
  if (address.sender !== sender) return `a message from "${sender}" names "${address.sender}" as its sender`;
  if (COORDINATOR_KINDS.has(address.kind)) return `only the coordinator makes ${address.kind} messages`;
  const { kind } = address;
  if (kind === 'psi-blinded') {
    if (!roster.parties.includes(address.owner)) return `PSI list owner "${address.owner}" is not a party`;
    const ring = psiRing(roster, address.owner);
    if (address.hop >= ring.length) return `PSI hop ${address.hop} is beyond the ring of ${ring.length} parties`;
    if (ring[address.hop] !== sender) return `hop ${address.hop} of ${address.owner}'s PSI list belongs to "${ring[address.hop]}", not "${sender}"`;
    return address.recipient === '' ? undefined : 'a PSI list has no recipient';
  }
  if (kind === 'coefficient-shares') {
    if (!roster.parties.includes(address.owner) || address.owner === sender) return `coefficient shares must be for another party's gradient, not "${address.owner}"`;
    return address.recipient === address.owner ? undefined : 'coefficient shares are sealed to the gradient owner only';
  }
  if (kind === 'score-shares') return address.recipient === roster.labelHolder ? undefined : `score shares go to the label holder "${roster.labelHolder}" only`;
  if (kind === 'epoch-metrics' && sender !== roster.labelHolder) return 'only the label holder reports epoch metrics';
  if (kind === 'gradient-products' && address.owner !== sender) return 'gradient products are posted by their owner';
  if (BROADCAST_KINDS.has(kind) && address.recipient !== '') return `${kind} messages have no recipient`;
  return undefined;
}

/** Why `requester` may not fetch the message at `address`, or undefined when it may. */
export function fetchRefusal(roster: VerticalRoster, requester: string, address: VerticalAddress): string | undefined {
  if (!roster.parties.includes(requester)) return `"${requester}" is not a party of this job`;
  if (address.recipient !== '' && address.recipient !== requester) return `the message is sealed to "${address.recipient}"`;
  if (address.kind === 'psi-blinded') {
    if (!roster.parties.includes(address.owner)) return `PSI list owner "${address.owner}" is not a party`;
    const ring = psiRing(roster, address.owner);
    // The last hop's list is the fully blinded one: the coordinator alone intersects them.
    if (address.hop + 1 >= ring.length) return 'fully blinded PSI lists go to the coordinator only';
    if (ring[address.hop + 1] !== requester) return `only "${ring[address.hop + 1]}" blinds the next hop of ${address.owner}'s list`;
  }
  if (address.kind === 'psi-ranks' && address.recipient !== requester) return 'PSI ranks go to their list owner only';
  if (COORDINATOR_KINDS.has(address.kind) && address.sender !== COORDINATOR_SENDER) return `${address.kind} messages come from the coordinator`;
  return undefined;
}
