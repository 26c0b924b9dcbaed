import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { federationInputSchema } from '../protocols/trust/federation-manifest.js';
import { provisionFederation, revokeNode } from '../provisioning/provision-federation.js';
import { createCertificateRequest } from '../provisioning/certificate-request.js';
import { installRequestedKit } from '../provisioning/install-requested-kit.js';
import { writePrivateFile } from '../provisioning/write-private-file.js';
import { KIT_FILES, nodeIdSchema } from '../protocols/trust/federation-manifest.js';
import { EXIT } from './exit-codes.js';
import { ConfigError } from '../protocols/errors.js';
import { keyFolderManifestSchema } from '../protocols/keys/key-folder-manifest.js';
import { UsageError } from './usage-error.js';

export const PROVISION_HELP = `Usage: hefl provision --federation FEDERATION_JSON --job JOB [--roster KEYS_JSON] [--requests CSR_DIR]
                      [--external-root ROOT_PEM ... --external-certs CERT_DIR] --out KITS_DIR
       hefl provision revoke --kits KITS_DIR --node NODE_ID [--reason TEXT]
       hefl provision request --federation-id ID --node NODE_ID --out KIT_DIR      (on the node's own host)
       hefl provision install --from RECEIVED_DIR --kit KIT_DIR                     (on the node's own host)

Creates a federation CA and one startup kit per node (coordinator, each participant, each auditor):
node.crt, node.key (0600), ca.crt and the CA-signed manifest (nodes, roles, certificate hashes,
revocations, the job's CKKS parameters and SHA-256 (nodes refuse any other job) and, with --roster, each node's ledger-signing key from
\`hefl keys init\`'s keys.json, so an auditor's kit alone verifies every ledger). The CA key stays in KITS_DIR/ca. The coordinator then runs with --kit and accepts only
mutual-TLS clients whose certificate is in the manifest; participants set "kitDir" in their config.
"revoke" adds a node to the manifest's revocation list and re-signs it in every kit.

Keys made where they are used: an institution runs "request" on its own host (its private key goes
to KIT_DIR/node.key, mode 0600, and never leaves; KIT_DIR/NODE_ID.csr goes to the operator). The
operator passes --requests CSR_DIR (files NODE_ID.csr): those nodes' certificates are issued for the
requested keys (signature and node id checked) and their kit folders hold no node.key. The operator
returns that folder; the institution runs "install" to put it beside its key and check the result.
An institution with its own CA: it signs the node's request itself and sends the certificate
(CERT_DIR/NODE_ID.crt, SAN URI hefl://FEDERATION/participant/NODE_ID, clientAuth); the operator names
that CA's root with --external-root (repeatable; roots only, no intermediates). The signed manifest
then lists the root, and pins the certificate by its SHA-256 like every other; "install" as above.

federation.json: {"federationId": "banks", "coordinator": {"address": "127.0.0.1:7700"},
                  "participants": ["bank", "ecommerce", "government"], "auditors": ["auditor"]}

Example:
  hefl provision --federation federation.json --job job.yaml --roster keys/coordinator/keys.json --out kits`;

/** `hefl provision request`: a key pair and a signing request, made on the node's host. */
async function runRequest(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'federation-id': { type: 'string' }, node: { type: 'string' }, out: { type: 'string' } } });
  if (!values['federation-id'] || !values.node || !values.out) throw new UsageError('request needs --federation-id, --node and --out', PROVISION_HELP);
  const node = nodeIdSchema.safeParse(values.node);
  if (!node.success) throw new UsageError(`--node "${values.node}": ${node.error.issues[0]?.message ?? 'not a node id'}`, PROVISION_HELP);
  const keyFile = join(values.out, KIT_FILES.key);
  if (existsSync(keyFile)) throw new ConfigError(`${keyFile} already exists; a request never replaces a node's key (use a new folder)`);
  const request = await createCertificateRequest({ federationId: values['federation-id'], node: { id: node.data, role: 'participant' } });
  await mkdir(values.out, { recursive: true, mode: 0o700 });
  await writePrivateFile(keyFile, request.keyPem);
  const csrFile = join(values.out, `${node.data}.csr`);
  await writeFile(csrFile, request.csrPem);
  console.log(`private key: ${keyFile} (0600; it stays on this host)`);
  console.log(`signing request for the federation operator: ${csrFile}`);
  console.log(`then: hefl provision install --from <the folder the operator returns> --kit ${values.out}`);
  return EXIT.ok;
}

/** `hefl provision install`: the operator's answer to a request, checked and put beside the node's key. */
async function runInstall(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, kit: { type: 'string' } } });
  if (!values.from || !values.kit) throw new UsageError('install needs --from and --kit', PROVISION_HELP);
  const kit = await installRequestedKit(values.from, values.kit);
  console.log(`installed: ${kit.role} "${kit.nodeId}" of federation "${kit.manifest.federationId}" in ${values.kit} (certificate matches this host's key)`);
  return EXIT.ok;
}

/** NODE_ID<extension> files of a folder, keyed by node id. */
async function readNodeFiles(folder: string, extension: string): Promise<Record<string, { pem: string; source: string }>> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(extension));
  if (names.length === 0) throw new ConfigError(`${folder} holds no NODE_ID${extension} file`);
  const entries = await Promise.all(names.map(async (name) => [name.slice(0, -extension.length), { pem: await readFile(join(folder, name), 'utf8'), source: join(folder, name) }] as const));
  return Object.fromEntries(entries);
}

const readRequests = (folder: string) => readNodeFiles(folder, '.csr');

/** --external-root files and --external-certs NODE_ID.crt files, which only make sense together. */
async function readExternal(roots: readonly string[], certificates: string | undefined) {
  if ((roots.length > 0) !== (certificates !== undefined)) throw new UsageError('--external-root and --external-certs go together', PROVISION_HELP);
  if (certificates === undefined) return {};
  return {
    externalRoots: await Promise.all(roots.map(async (file) => ({ pem: await readFile(file, 'utf8'), source: file }))),
    externalCertificates: await readNodeFiles(certificates, '.crt'),
  };
}

export async function runProvisionCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'request') return runRequest(argv.slice(1));
  if (argv[0] === 'install') return runInstall(argv.slice(1));
  if (argv[0] === 'revoke') {
    const { values } = parseArgs({ args: argv.slice(1), options: { kits: { type: 'string' }, node: { type: 'string' }, reason: { type: 'string', default: 'revoked by the federation operator' } } });
    if (!values.kits || !values.node) throw new UsageError('--kits and --node are required', PROVISION_HELP);
    const kitsDirectory = values.kits;
    const kits = (await readdir(kitsDirectory, { withFileTypes: true })).filter((entry) => entry.isDirectory() && entry.name !== 'ca').map((entry) => join(kitsDirectory, entry.name));
    const manifest = await revokeNode(join(kitsDirectory, 'ca'), kits, values.node, values.reason);
    console.log(`revoked ${values.node}; manifest re-signed in ${kits.length} kits (${manifest.revoked.length} revoked in all)`);
    return EXIT.ok;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      federation: { type: 'string' },
      out: { type: 'string' },
      job: { type: 'string' },
      roster: { type: 'string' },
      requests: { type: 'string' },
      'external-root': { type: 'string', multiple: true },
      'external-certs': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(PROVISION_HELP);
    return EXIT.ok;
  }
  if (!values.federation || !values.out) throw new UsageError('--federation and --out are required', PROVISION_HELP);
  const federation = await readConfigFile(values.federation, federationInputSchema);
  // The privacy posture is pinned: every kit's signed manifest names the CKKS parameters by hash.
  const job = values.job ? await readConfigFile(values.job, jobSpecSchema) : undefined;
  const pinned = job ? ckksParametersFingerprint(job.ckks) : federation.ckksParametersFingerprint;
  if (!pinned) throw new UsageError('pin the CKKS parameters: give --job JOB (or "ckksParametersFingerprint" in the federation file)', PROVISION_HELP);
  let ledgerKeys: Record<string, string> | undefined;
  if (values.roster) {
    const roster = await readConfigFile(values.roster, keyFolderManifestSchema);
    if (roster.parametersFingerprint !== pinned) throw new ConfigError(`${values.roster} was made for other CKKS parameters than the ones pinned here`);
    ledgerKeys = { ...(roster.identities ?? {}) };
    const nodeIds = [federation.coordinator.id, ...federation.participants.map((node) => node.id)];
    const unknown = Object.keys(ledgerKeys).filter((id) => !nodeIds.includes(id));
    if (unknown.length > 0) throw new ConfigError(`${values.roster} names ${unknown.join(', ')}, not in ${values.federation}`);
    const missing = nodeIds.filter((id) => !(id in ledgerKeys!));
    if (missing.length > 0) throw new ConfigError(`${values.roster} has no ledger key for ${missing.join(', ')}`);
  }
  const { kits, caDirectory } = await provisionFederation(
    { ...federation, ...(job ? { ckks: job.ckks, jobSha256: jobSha256(job) } : {}), ckksParametersFingerprint: pinned },
    values.out,
    {
      ...(ledgerKeys ? { ledgerKeys } : {}),
      ...(values.requests ? { requests: await readRequests(values.requests) } : {}),
      ...(await readExternal(values['external-root'] ?? [], values['external-certs'])),
    },
  );
  console.log(`CKKS parameters pinned: ${pinned}`);
  if (job) console.log(`job ${job.jobId} pinned: SHA-256 ${jobSha256(job)}`);
  if (ledgerKeys) console.log(`ledger keys pinned for: ${Object.keys(ledgerKeys).sort().join(', ')}`);
  else console.log('no --roster: auditors will need the key roster (keys.json) to verify ledgers');
  console.log(`federation CA (keep offline): ${caDirectory}`);
  for (const [node, folder] of Object.entries(kits)) console.log(`${node}: ${folder}`);
  return EXIT.ok;
}
