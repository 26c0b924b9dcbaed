import type { VerticalKind as WireVerticalKind } from '../../proto/generated/hefl/v1/VerticalKind.js';

/**
 * Where a vertical message belongs in the job's schedule. The address is the mailbox key at the
 * coordinator and is covered by the sender's signature, so a message cannot be replayed into another
 * step, batch or recipient.
 */
export const VERTICAL_KINDS = [
  'key-seed-commitment',
  'key-seed-reveal',
  'key-share-commitment',
  'key-public-share',
  'sealing-key',
  'psi-blinded',
  'psi-ranks',
  'forward-part',
  'forward-sum',
  'gradient-products',
  'coefficient-shares',
  'score-part',
  'score-sum',
  'score-shares',
  'epoch-metrics',
  'done',
] as const;

export type VerticalKind = (typeof VERTICAL_KINDS)[number];

/** The sender id of messages the coordinator makes (sums and PSI ranks). */
export const COORDINATOR_SENDER = 'coordinator';

export interface VerticalAddress {
  readonly kind: VerticalKind;
  readonly epoch: number;
  readonly batch: number;
  readonly owner: string;
  readonly hop: number;
  readonly sender: string;
  readonly recipient: string;
}

export function verticalAddress(kind: VerticalKind, fields: Partial<Omit<VerticalAddress, 'kind'>> = {}): VerticalAddress {
  return { kind, epoch: fields.epoch ?? 0, batch: fields.batch ?? 0, owner: fields.owner ?? '', hop: fields.hop ?? 0, sender: fields.sender ?? '', recipient: fields.recipient ?? '' };
}

/** One canonical string per address: mailbox key, ledger field and part of the signed bytes. */
export function addressKey(address: VerticalAddress): string {
  return [address.kind, address.epoch, address.batch, address.owner, address.hop, address.sender, address.recipient].join('/');
}

export function toWireKind(kind: VerticalKind): WireVerticalKind {
  return `VERTICAL_KIND_${kind.toUpperCase().replaceAll('-', '_')}` as WireVerticalKind;
}

export function fromWireKind(kind: string): VerticalKind | undefined {
  if (!kind.startsWith('VERTICAL_KIND_')) return undefined;
  const name = kind.slice('VERTICAL_KIND_'.length).toLowerCase().replaceAll('_', '-');
  return (VERTICAL_KINDS as readonly string[]).includes(name) ? (name as VerticalKind) : undefined;
}
