import { KeyObject } from 'node:crypto';
import { ConfigError } from '../protocols/errors.js';
import { formatNodeUri, type NodeRole } from '../protocols/trust/node-uri.js';
import { EC_P256, x509 } from '../protocols/trust/peculiar-x509.js';

export interface CertificateRequest {
  /** PKCS#10 request (PEM) for the operator: the node's public key, signed with its private key. */
  readonly csrPem: string;
  /** PKCS#8 PEM of the node's key: stays on the node's host (written 0600 into its kit folder). */
  readonly keyPem: string;
}

/**
 * A node's key pair, made on its own host, and a certificate signing request for the federation
 * operator (`hefl provision request`): the private key never leaves the institution. The request names
 * the node (CN and SAN URI) only as a label; the operator's CA decides what the certificate says.
 */
export async function createCertificateRequest(options: { federationId: string; node: { id: string; role: NodeRole } }): Promise<CertificateRequest> {
  const keys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${options.node.id}`,
    keys,
    signingAlgorithm: EC_P256,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: formatNodeUri({ federationId: options.federationId, role: options.node.role, nodeId: options.node.id }) }])],
  });
  return {
    csrPem: request.toString('pem'),
    keyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * The public key of a node's signing request, after checking it: a PEM PKCS#10 request, signed by
 * the key it carries (proof of possession), ECDSA P-256 like every HEFL key, for the expected node id.
 * Anything else is refused naming `source`.
 */
export async function readCertificateRequest(pem: string, nodeId: string, source: string): Promise<x509.PublicKey> {
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(pem);
  } catch (cause) {
    throw new ConfigError(`${source} is not a PEM certificate signing request (make one with \`hefl provision request\`)`, { cause });
  }
  const algorithm = request.publicKey.algorithm as { name: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') {
    throw new ConfigError(`${source}: the key is ${algorithm.name}${algorithm.namedCurve ? ` ${algorithm.namedCurve}` : ''}; a HEFL federation uses ECDSA P-256 keys`);
  }
  if (!(await request.verify())) throw new ConfigError(`${source}: the request's signature does not verify with its own key (a damaged or altered request)`);
  const commonName = request.subjectName.getField('CN')[0];
  if (commonName !== nodeId) throw new ConfigError(`${source} is a request for "${commonName ?? '(no CN)'}", not for node "${nodeId}"`);
  return request.publicKey;
}
