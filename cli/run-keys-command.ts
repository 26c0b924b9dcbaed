import { parseArgs } from 'node:util';
import { readJobFile } from './read-job-file.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const KEYS_HELP = `Usage: hefl keys init --job JOB --out DIR

Writes one key folder per node under DIR; give each folder to its node out of band.

Threshold custody (the job's default): no CKKS key is made here. Each participant folder gets an
Ed25519 identity key (mode 0600) and every folder the roster of identity public keys; when the job
starts, the participants create the collective CKKS key together, each keeping its secret share.

Vertical jobs (kind: vertical-logistic-regression) use threshold custody the same way.

Single-key custody ("custody": {"mode": "single-key"}): a CKKS key pair is made here;
DIR/coordinator gets the public key only, each participant folder also the secret key (0600).

The coordinator refuses to start if its folder contains any secret key material.

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
  const { job } = await readJobFile(values.job);
  const folders = await initFederationKeys(job, values.out);
  const threshold = job.custody.mode !== 'single-key';
  console.log(`${job.custody.mode} custody, key fingerprint ${folders.keyFingerprint}`);
  if (job.custody.mode === 'none') console.log('WARNING: custody none switches homomorphic encryption off: updates travel unencrypted (benchmark baseline only)');
  console.log(`coordinator (${threshold ? 'identity roster' : 'public key'} only): ${folders.coordinator}`);
  for (const [participantId, folder] of Object.entries(folders.participants)) {
    console.log(`${participantId} (${threshold ? 'identity key' : 'secret key'}, 0600): ${folder}`);
  }
  return EXIT.ok;
}
