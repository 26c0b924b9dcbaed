import { parseArgs } from 'node:util';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const KEYS_HELP = `Usage: hefl keys init --job JOB --out DIR

Creates the federation's CKKS key pair offline (parameters from the job file) and writes one key
folder per node under DIR: DIR/coordinator holds the public key only; DIR/<participant> also holds
the secret key (mode 0600). Give each folder to its node out of band; the coordinator refuses to
start if its folder contains a secret key.

Example:
  hefl keys init --job federation/job.json --out federation/keys`;

export async function runKeysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    console.log(KEYS_HELP);
    return action === undefined ? EXIT.usage : EXIT.ok;
  }
  if (action !== 'init') throw new UsageError(`unknown keys action "${action}"`, KEYS_HELP);
  const { values } = parseArgs({
    args: rest,
    options: { job: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(KEYS_HELP);
    return EXIT.ok;
  }
  if (!values.job || !values.out) throw new UsageError('--job and --out are required', KEYS_HELP);
  const job = await readConfigFile(values.job, jobSpecSchema);
  const folders = await initFederationKeys(job, values.out);
  console.log(`key fingerprint ${folders.keyFingerprint}`);
  console.log(`coordinator (public key only): ${folders.coordinator}`);
  for (const [participantId, folder] of Object.entries(folders.participants)) console.log(`${participantId} (secret key, 0600): ${folder}`);
  return EXIT.ok;
}
