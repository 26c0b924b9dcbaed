import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { federationInputSchema } from '../protocols/trust/federation-manifest.js';
import { provisionFederation, revokeNode } from '../protocols/trust/provision-federation.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const PROVISION_HELP = `Usage: hefl provision --federation FEDERATION_JSON --job JOB --out KITS_DIR
       hefl provision revoke --kits KITS_DIR --node NODE_ID [--reason TEXT]

Creates a federation CA and one startup kit per node (coordinator, each participant, each auditor):
node.crt, node.key (0600), ca.crt and the CA-signed manifest (nodes, roles, certificate hashes,
revocations). The CA key stays in KITS_DIR/ca. The coordinator then runs with --kit and accepts only
mutual-TLS clients whose certificate is in the manifest; participants set "kitDir" in their config.
"revoke" adds a node to the manifest's revocation list and re-signs it in every kit.

federation.json: {"federationId": "banks", "coordinator": {"address": "127.0.0.1:7700"},
                  "participants": ["bank", "ecommerce", "government"], "auditors": ["auditor"]}

Example:
  hefl provision --federation federation.json --job job.yaml --out kits`;

export async function runProvisionCommand(argv: string[]): Promise<number> {
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
    options: { federation: { type: 'string' }, out: { type: 'string' }, job: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(PROVISION_HELP);
    return EXIT.ok;
  }
  if (!values.federation || !values.out) throw new UsageError('--federation and --out are required', PROVISION_HELP);
  const federation = await readConfigFile(values.federation, federationInputSchema);
  // The privacy posture is pinned: every kit's signed manifest names the CKKS parameters by hash.
  const pinned = values.job ? ckksParametersFingerprint((await readConfigFile(values.job, jobSpecSchema)).ckks) : federation.ckksParametersFingerprint;
  if (!pinned) throw new UsageError('pin the CKKS parameters: give --job JOB (or "ckksParametersFingerprint" in the federation file)', PROVISION_HELP);
  const { kits, caDirectory } = await provisionFederation({ ...federation, ckksParametersFingerprint: pinned }, values.out);
  console.log(`CKKS parameters pinned: ${pinned}`);
  console.log(`federation CA (keep offline): ${caDirectory}`);
  for (const [node, folder] of Object.entries(kits)) console.log(`${node}: ${folder}`);
  return EXIT.ok;
}
