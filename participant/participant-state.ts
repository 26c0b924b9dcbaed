import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../protocols/errors.js';
import { formatConfigIssues } from '../protocols/job/format-config-issues.js';
import { writeFileAtomically } from '../protocols/state/write-file-atomically.js';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/**
 * What a participant keeps on its own disk to rejoin a job after its process restarts: the global
 * model it applied last, the federated standardization, and (threshold custody) the collective
 * public key. Its secret key share is in its own 0600 file, and what it decrypted in its decryption
 * guard's file (participant/decryption-guard.ts).
 */
export const participantStateSchema = z.strictObject({
  format: z.literal('hefl-participant-state/2'),
  jobId: z.string().min(1),
  jobSha256: z.string().regex(/^[0-9a-f]{64}$/),
  participantId: z.string().min(1),
  lastAppliedRound: z.number().int().min(0),
  roundsCompleted: z.number().int().min(0),
  /** float32 little-endian, base64. */
  globalWeights: base64,
  means: z.array(z.number()),
  stds: z.array(z.number().min(0)),
  collectiveKey: base64.nullable(),
  collectiveKeySha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** The job's server optimizer state (training.serverOptimizer other than fedavg): float64 little-endian, base64. */
  serverOptimizer: z.strictObject({ step: z.number().int().min(0), momentum: base64, secondMoment: base64.nullable() }).optional(),
  /** Differential privacy: this node's RDP accountant history (its ε so far), so a restart does not forget spent ε. */
  dpAccountant: z
    .strictObject({
      orders: z.array(z.number().gt(1)).min(1),
      conversion: z.enum(['balle2020', 'classic']),
      history: z.array(z.strictObject({ noiseMultiplier: z.number().min(0), sampleRate: z.number().gt(0).max(1), steps: z.number().int().min(0) })),
    })
    .optional(),
  savedAt: z.string(),
});

export type ParticipantState = z.infer<typeof participantStateSchema>;

export async function saveParticipantState(path: string, state: ParticipantState): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(state)}\n`);
}

/** The saved state of this node, or undefined when it has none; a damaged file is an error naming it. */
export async function loadParticipantState(path: string, participantId: string): Promise<ParticipantState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read this node's saved state (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: this node's saved state is not JSON (${(error as Error).message}); remove it to start afresh`);
  }
  const parsed = participantStateSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatConfigIssues(path, parsed.error));
  if (parsed.data.participantId !== participantId) throw new ConfigError(`${path} is the saved state of "${parsed.data.participantId}", not "${participantId}"`);
  return parsed.data;
}

export function float32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function float64ToBase64(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function base64ToFloat64(text: string, what: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new ConfigError(`${what}: not a whole number of float64 values`);
  const values = new Float64Array(bytes.length / 8);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

export function base64ToFloat32(text: string, what: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new ConfigError(`${what}: not a whole number of float32 values`);
  const values = new Float32Array(bytes.length / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}
