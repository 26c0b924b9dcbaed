// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs a Reflect polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto does the signing; @peculiar/x509 only builds and parses the ASN.1.
x509.cryptoProvider.set(globalThis.crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

/** ECDSA P-256 with SHA-256: the only algorithm a HEFL federation CA issues or accepts. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
