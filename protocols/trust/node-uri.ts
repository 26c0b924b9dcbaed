/** The roles a startup kit can carry; the role is written into the certificate (SAN URI). */
export const NODE_ROLES = ['coordinator', 'participant', 'auditor'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Ids are also kit folder names and certificate CNs, so they stay in a filesystem- and DN-safe alphabet. */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface NodeUri {
  readonly federationId: string;
  readonly role: NodeRole;
  readonly nodeId: string;
}

const NODE_URI = /^hefl:\/\/([a-z0-9][a-z0-9._-]{0,62})\/(coordinator|participant|auditor)\/([a-z0-9][a-z0-9._-]{0,62})$/;

/** `hefl://<federationId>/<role>/<nodeId>`: who a certificate is for, in its subjectAltName. */
export function formatNodeUri(node: NodeUri): string {
  const uri = `hefl://${node.federationId}/${node.role}/${node.nodeId}`;
  if (!NODE_URI.test(uri)) throw new TypeError(`"${uri}" is not a valid HEFL node URI (ids: ${NODE_ID_PATTERN.source})`);
  return uri;
}

/** The inverse of formatNodeUri; undefined for anything that is not exactly a HEFL node URI. */
export function parseNodeUri(uri: string): NodeUri | undefined {
  const match = NODE_URI.exec(uri);
  if (!match) return undefined;
  return { federationId: match[1] as string, role: match[2] as NodeRole, nodeId: match[3] as string };
}
