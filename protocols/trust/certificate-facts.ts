import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { parseNodeUri, type NodeUri } from './node-uri.js';
import { x509 } from './peculiar-x509.js';

export interface CertificateFacts {
  /** SHA-256 (hex) of the DER encoding: what the manifest lists for each node. */
  readonly sha256: string;
  /** Lower-case hex without leading zeros, so serials compare equal however they were printed. */
  readonly serialNumber: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The single `hefl://<federation>/<role>/<id>` SAN URI; undefined when there is none or more than one. */
  readonly nodeUri: NodeUri | undefined;
}

export function normalizeSerialNumber(serialNumber: string): string {
  return serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
}

/** What HEFL needs from a certificate (PEM text or DER bytes), parsed with @peculiar/x509. */
export function readCertificateFacts(certificate: string | Uint8Array): CertificateFacts {
  let parsed: x509.X509Certificate;
  try {
    parsed = new x509.X509Certificate(certificate);
  } catch (cause) {
    throw new ConfigError(`not an X.509 certificate: ${(cause as Error).message}`, { cause });
  }
  const alternativeNames = parsed.getExtension(x509.SubjectAlternativeNameExtension);
  const heflUris = (alternativeNames?.names.items ?? []).filter((name) => name.type === 'url' && /^hefl:/i.test(name.value));
  // Two hefl:// URIs would make the role ambiguous, so such a certificate names nobody.
  const nodeUri = heflUris.length === 1 ? parseNodeUri((heflUris[0] as x509.GeneralName).value) : undefined;
  return {
    sha256: createHash('sha256').update(new Uint8Array(parsed.rawData)).digest('hex'),
    serialNumber: normalizeSerialNumber(parsed.serialNumber),
    subject: parsed.subject,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    nodeUri,
  };
}
