import { X509Certificate } from 'node:crypto';
import { ConfigError } from '../protocols/errors.js';
import { readCertificateFacts, type CertificateFacts } from '../protocols/trust/certificate-facts.js';
import type { NodeRole } from '../protocols/trust/node-uri.js';

/** A PEM file the operator was given, and where it came from (for error messages). */
export interface ProvidedPem {
  readonly pem: string;
  readonly source: string;
}

function parse(file: ProvidedPem): X509Certificate {
  try {
    return new X509Certificate(file.pem);
  } catch (cause) {
    throw new ConfigError(`${file.source} is not a PEM certificate`, { cause });
  }
}

function checkWindow(what: string, certificate: X509Certificate, now: Date): void {
  if (now.getTime() < new Date(certificate.validFrom).getTime() || now.getTime() > new Date(certificate.validTo).getTime()) {
    throw new ConfigError(`${what} is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`);
  }
}

/**
 * Root certificates of institutions' own CAs that the manifest will name: each must be a CA
 * certificate, self-signed and valid now. Only roots: a chain through intermediates is not supported.
 */
export function checkExternalRoots(roots: readonly ProvidedPem[], now: Date = new Date()): X509Certificate[] {
  return roots.map((root) => {
    const certificate = parse(root);
    if (!certificate.ca) throw new ConfigError(`${root.source} is not a CA certificate (basicConstraints CA:TRUE); name the institution's root CA`);
    if (!certificate.checkIssued(certificate) || !certificate.verify(certificate.publicKey)) {
      throw new ConfigError(`${root.source} is not self-signed; give the root of the institution's CA (intermediate CAs are not supported)`);
    }
    checkWindow(root.source, certificate, now);
    return certificate;
  });
}

/**
 * A node certificate issued by an institution's own CA, checked before the manifest pins it: issued
 * directly by one of `roots`, not a CA, valid now, client authentication allowed, and carrying exactly the
 * SAN URI hefl://<federation>/<role>/<id> that this node's manifest entry will have (a CSR from
 * `hefl provision request` asks for it).
 */
export function checkExternalNodeCertificate(
  file: ProvidedPem,
  node: { readonly id: string; readonly role: NodeRole },
  federationId: string,
  roots: readonly X509Certificate[],
  now: Date = new Date(),
): CertificateFacts {
  if (node.role === 'coordinator') throw new ConfigError(`${file.source}: the coordinator's certificate is issued by the federation CA (it names the hosts participants dial)`);
  const certificate = parse(file);
  if (!roots.some((root) => certificate.checkIssued(root) && certificate.verify(root.publicKey))) {
    throw new ConfigError(`${file.source} is not issued by any of the external roots given (${roots.length}); name its root CA with --external-root`);
  }
  if (certificate.ca) throw new ConfigError(`${file.source} is a CA certificate, not a node certificate`);
  checkWindow(file.source, certificate, now);
  if (certificate.keyUsage !== undefined && !certificate.keyUsage.includes('1.3.6.1.5.5.7.3.2')) {
    throw new ConfigError(`${file.source} does not allow TLS client authentication (extendedKeyUsage lacks clientAuth)`);
  }
  const facts = readCertificateFacts(file.pem);
  const uri = facts.nodeUri;
  if (!uri || uri.federationId !== federationId || uri.role !== node.role || uri.nodeId !== node.id) {
    throw new ConfigError(`${file.source} must carry the SAN URI hefl://${federationId}/${node.role}/${node.id} (as \`hefl provision request\` asks for); it carries ${uri ? `hefl://${uri.federationId}/${uri.role}/${uri.nodeId}` : 'none'}`);
  }
  return facts;
}
