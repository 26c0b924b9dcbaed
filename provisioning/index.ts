/** Provisioning, the operator's side (`hefl provision`): a federation CA, one startup kit per node, revocations. */
export { provisionFederation, type ProvisionOptions, type ProvisionedFederation } from './provision-federation.js';
export { revokeCertificate } from './revoke-certificate.js';
export { reloadManifest } from './reload-manifest.js';
