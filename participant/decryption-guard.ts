import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { contributorSetDigest } from '../protocols/ckks/threshold/c1-digest.js';
import { ConfigError, HeflError } from '../protocols/errors.js';
import type { RoundKind } from '../protocols/wire/federation-messages.js';
import type { PrivacyFloor } from './privacy-policy.js';

/** One partial decryption this node is asked for: which aggregate (by c1), of whom. */
export interface DecryptionRequestFacts {
  readonly round: number;
  readonly kind: RoundKind;
  readonly contributors: readonly string[];
  /** SHA-256 (hex) of each chunk's c1 (protocols/ckks/threshold/c1-digest.ts). */
  readonly c1Sha256: readonly string[];
}

export interface GuardContext {
  readonly participantId: string;
  readonly roster: readonly string[];
  readonly floor: PrivacyFloor;
  /** The coordinator acknowledged this node's update for this round and kind. */
  readonly ownUpdateAcknowledged: boolean;
}

const releaseLine = z.strictObject({
  round: z.number().int().min(0),
  kind: z.enum(['statistics', 'training', 'evaluation']),
  contributors: z.string().regex(/^[0-9a-f]{64}$/),
  c1: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1),
});

function refusal(message: string): HeflError {
  return new HeflError('PROTOCOL_VIOLATION', message);
}

/**
 * The rules a participant applies before it releases any partial decryption, whatever the job says:
 * enough contributors, itself among them when its update was acknowledged, and at most one
 * decryption set per c1 (and per round), repeated only for the same set within the retry budget.
 * Every release is appended and fsynced to a write-ahead file before the share leaves, so a restart
 * cannot be used to get the same c1 decrypted again.
 */
export class DecryptionGuard {
  private readonly byC1 = new Map<string, { contributors: string; count: number }>();
  private readonly byRound = new Map<string, { contributors: string; count: number }>();

  private constructor(private readonly file: string | undefined) {}

  /** Loads the releases recorded in `file` (none when it does not exist); memory only without a file. */
  static async open(file: string | undefined): Promise<DecryptionGuard> {
    const guard = new DecryptionGuard(file);
    if (!file) return guard;
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`${file}: cannot read this node's decryption guard (${(error as Error).message})`);
    }
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: z.infer<typeof releaseLine>;
      try {
        parsed = releaseLine.parse(JSON.parse(line));
      } catch (error) {
        throw new ConfigError(`${file}:${index + 1}: not a decryption-guard record (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); it is the node's record of released decryptions, do not edit it`);
      }
      guard.remember(parsed);
    });
    return guard;
  }

  /** Throws PROTOCOL_VIOLATION naming the rule when this node must not decrypt; records nothing. */
  check(request: DecryptionRequestFacts, context: GuardContext): void {
    const { contributors, round, kind } = request;
    const distinct = new Set(contributors);
    const where = `round ${round} (${kind})`;
    if (distinct.size !== contributors.length) throw refusal(`${where}: the contributor list names a participant twice`);
    const strangers = contributors.filter((id) => !context.roster.includes(id));
    if (strangers.length > 0) throw refusal(`${where}: contributors ${strangers.join(', ')} are not participants of the job`);
    if (distinct.size < context.floor.minContributors) {
      throw refusal(
        `${where}: the aggregate has ${distinct.size} contributor${distinct.size === 1 ? '' : 's'} (${contributors.join(', ')}); ` +
          `this node decrypts only aggregates of at least ${context.floor.minContributors} (privacy.minContributors)`,
      );
    }
    if (context.ownUpdateAcknowledged && !distinct.has(context.participantId)) {
      throw refusal(`${where}: the coordinator acknowledged this node's update but leaves it out of the aggregate's contributors`);
    }
    const set = contributorSetDigest(contributors);
    const allowed = 1 + context.floor.maxRoundRetries;
    const previous = this.byRound.get(`${round}:${kind}`);
    if (previous && previous.contributors !== set) throw refusal(`${where}: already decrypted for another contributor set; a second set could isolate one update`);
    if (previous && previous.count >= allowed) throw refusal(`${where}: already decrypted ${previous.count} times (1 + privacy.maxRoundRetries)`);
    const seenHere = new Set<string>();
    for (const c1 of request.c1Sha256) {
      if (seenHere.has(c1)) throw refusal(`${where}: two chunks of the aggregate share one c1 (${c1.slice(0, 16)}…)`);
      seenHere.add(c1);
      const released = this.byC1.get(c1);
      if (released && released.contributors !== set) throw refusal(`${where}: c1 ${c1.slice(0, 16)}… was already decrypted for another contributor set`);
      if (released && released.count >= allowed) throw refusal(`${where}: c1 ${c1.slice(0, 16)}… was already decrypted ${released.count} times`);
    }
  }

  /** Records a release durably (append + fsync) before the share may leave. */
  async record(request: DecryptionRequestFacts): Promise<void> {
    const line = { round: request.round, kind: request.kind, contributors: contributorSetDigest(request.contributors), c1: [...request.c1Sha256] };
    if (this.file) {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.appendFile(`${JSON.stringify(line)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    this.remember(line);
  }

  private remember(line: z.infer<typeof releaseLine>): void {
    const bump = (map: Map<string, { contributors: string; count: number }>, key: string): void => {
      const entry = map.get(key);
      map.set(key, { contributors: line.contributors, count: (entry?.count ?? 0) + 1 });
    };
    bump(this.byRound, `${line.round}:${line.kind}`);
    for (const c1 of line.c1) bump(this.byC1, c1);
  }
}
