import { z } from 'zod';
import { privacyPolicySchema } from './privacy-policy.js';

/** `node.json`: what a partner institution writes to run a participant node. */
export const participantConfigSchema = z.strictObject({
  participantId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-"'),
  jobId: z.string().min(1),
  coordinator: z.string().regex(/^([^\s:]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'host:port, for example 127.0.0.1:7700'),
  /** This institution's training data (CSV, optionally gzip). It never leaves the node. */
  dataCsv: z.string().min(1),
  /** Vertical jobs with scoring, label holder only: the new customers to score (id and own columns, no label). */
  scoringCsv: z.string().min(1).optional(),
  /** Optional held-out data: the node reports AUC and loss of each new global model on it. */
  evaluationCsv: z.string().min(1).optional(),
  /** The key folder `hefl keys init` made for this participant. */
  keysDir: z.string().min(1),
  /** Where the final model, its preprocessing and the egress log are written. */
  outputDir: z.string().min(1).optional(),
  csvDelimiter: z.enum([';', ',']).optional(),
  /** Startup kit from \`hefl provision\`: talk to the coordinator over mutual TLS. */
  kitDir: z.string().min(1).optional(),
  /**
   * Without `kitDir`, talk plain gRPC (no TLS: anyone on the path reads and alters the traffic) to a
   * coordinator that is not on loopback. Off by default: such a config is refused.
   */
  allowPlaintextTransport: z.boolean().default(false),
  /** Also keep the exact bytes of every outgoing message (outputDir/payloads) for auditors to re-classify. */
  keepPayloads: z.boolean().default(false),
  connectTimeoutSeconds: z.number().positive().max(3_600).default(60),
  /** After the coordinator goes away mid-job, keep rejoining (backoff with jitter) this long; 0 = give up at once. */
  reconnectSeconds: z.number().min(0).max(86_400).default(300),
  /**
   * Take part in a job with custody `none` (HE switched off: the coordinator sees every update; the
   * benchmark baseline). Off by default, so a coordinator cannot switch a partner to plaintext.
   */
  allowUnencryptedUpdates: z.boolean().default(false),
  /**
   * This node's privacy floor, enforced whatever the coordinator's job says: the fewest contributors
   * in any aggregate it helps decrypt (default: every participant), aggregate verification (default
   * on) and the most round retries (default 1). A weaker job is refused at join.
   */
  privacy: privacyPolicySchema,
  /** Keep outputDir/state/secret-share.key after the job finished (default: overwritten, then removed). */
  keepSecretShare: z.boolean().default(false),
  /**
   * After the job finished, also train a local-only model (same model spec, training settings and
   * federated standardization, this node's rows only) and write federated vs local-only AUC and loss
   * on evaluationCsv to outputDir/partner-gain.json. Needs evaluationCsv; nothing of it leaves the node.
   */
  compareWithLocalOnly: z.boolean().default(false),
}).refine((config) => !config.compareWithLocalOnly || config.evaluationCsv !== undefined, {
  message: 'compareWithLocalOnly needs an evaluationCsv to compare the two models on',
  path: ['compareWithLocalOnly'],
});

export type ParticipantConfig = z.infer<typeof participantConfigSchema>;
