/**
 * One load-generating participant in its own OS process (the 20-participant load bench): joins the
 * coordinator over gRPC, submits a pre-encrypted update in every round, reports an empty
 * evaluation, and prints one JSON line with when (epoch ms) it saw the training round start and its
 * aggregate arrive. No training and no encryption on the clock.
 * Run with: node --import tsx bench/load-participant-process.ts ADDRESS JOB_FILE UPDATES_FILE PARTICIPANT_ID KEY_FINGERPRINT
 */
import { readFile } from 'node:fs/promises';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { runLoadParticipant } from './load-generator.js';
import { readPreparedUpdates } from './prepared-updates-file.js';

const [address, jobFile, updatesFile, participantId, keyFingerprint] = process.argv.slice(2) as [string, string, string, string, string];
const job = jobSpecSchema.parse(JSON.parse(await readFile(jobFile, 'utf8')));
const timings = await runLoadParticipant(address, job, keyFingerprint, participantId, await readPreparedUpdates(updatesFile));
process.stdout.write(`${JSON.stringify({ participantId, ...timings })}\n`);
setImmediate(() => process.exit(0));
