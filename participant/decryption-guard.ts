import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { contributorSetDigest } from '../protocols/ckks/threshold/c1-digest.js';
import { committeeDigest } from '../protocols/ckks/threshold-t-of-n/committee.js';
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
  /** t-of-N custody: the committee the share is for (one committee per c1); absent under N-of-N. */
  readonly committee?: readonly string[] | undefined;
}

export interface GuardContext {
  readonly participantId: string;
  readonly roster: readonly string[];
  readonly floor: PrivacyFloor;
  /** The coordinator acknowledged this node's update for this round and kind. */
  readonly ownUpdateAcknowledged: boolean;
}

const digest = z.string().regex(/^[0-9a-f]{64}$/);
const releaseLine = z.strictObject({
  round: z.number().int().min(0),
  kind: z.enum(['statistics', 'training', 'evaluation']),
  contributors: digest,
  c1: z.array(digest).min(1),
  committee: digest.optional(),
});
/** t-of-N key setup: a canary decrypted for a cover committee (participant/custody/tofn-resharing.ts). */
const canaryLine = z.strictObject({ canary: z.literal(true), committee: digest, c1: z.array(digest).min(1) });
const guardLine = z.union([releaseLine, canaryLine]);
/** The committee digest a release under N-of-N custody is recorded with: no committee. */
const EVERYONE = 'n-of-n';

function committeeKey(committee: readonly string[] | undefined): string {
  return committee ? committeeDigest(committee) : EVERYONE;
}

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
  private readonly byC1 = new Map<string, { contributors: string; committee: string; count: number }>();
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
      let parsed: z.infer<typeof guardLine>;
      try {
        parsed = guardLine.parse(JSON.parse(line));
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
    this.checkC1(request.c1Sha256, committeeKey(request.committee), where);
    const seenHere = new Set<string>();
    for (const c1 of request.c1Sha256) {
      if (seenHere.has(c1)) throw refusal(`${where}: two chunks of the aggregate share one c1 (${c1.slice(0, 16)}…)`);
      seenHere.add(c1);
      const released = this.byC1.get(c1);
      if (released && released.contributors !== set) throw refusal(`${where}: c1 ${c1.slice(0, 16)}… was already decrypted for another contributor set`);
      if (released && released.count >= allowed) throw refusal(`${where}: c1 ${c1.slice(0, 16)}… was already decrypted ${released.count} times`);
    }
  }

  /**
   * t-of-N key setup: a canary may be decrypted for one committee only, and never a c1 this node
   * already decrypted (a canary is never an aggregate).
   */
  checkCanary(c1Sha256: readonly string[], committee: readonly string[]): void {
    for (const c1 of c1Sha256) {
      if (this.byC1.has(c1)) throw refusal(`key setup: canary c1 ${c1.slice(0, 16)}… was already decrypted; refusing a second partial decryption`);
    }
    this.checkC1(c1Sha256, committeeDigest(committee), 'key setup');
  }

  async recordCanary(c1Sha256: readonly string[], committee: readonly string[]): Promise<void> {
    await this.append({ canary: true, committee: committeeDigest(committee), c1: [...c1Sha256] });
  }

  /** Records a release durably (append + fsync) before the share may leave. */
  async record(request: DecryptionRequestFacts): Promise<void> {
    const line = {
      round: request.round,
      kind: request.kind,
      contributors: contributorSetDigest(request.contributors),
      c1: [...request.c1Sha256],
      ...(request.committee ? { committee: committeeDigest(request.committee) } : {}),
    };
    await this.append(line);
  }

  /** One committee per c1, and never a c1 decrypted N-of-N (no committee) again for a committee, or back. */
  private checkC1(c1Sha256: readonly string[], committee: string, where: string): void {
    for (const c1 of c1Sha256) {
      const released = this.byC1.get(c1);
      if (released && released.committee !== committee) {
        throw refusal(
          `${where}: c1 ${c1.slice(0, 16)}… was already decrypted for another committee; ` +
            'a second committee for one c1 would reveal this node\'s key share (the round must run again with fresh uploads)',
        );
      }
    }
  }

  private async append(line: z.infer<typeof guardLine>): Promise<void> {
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

  private remember(line: z.infer<typeof guardLine>): void {
    const committee = line.committee ?? EVERYONE;
    const contributors = 'canary' in line ? 'canary' : line.contributors;
    for (const c1 of line.c1) {
      const entry = this.byC1.get(c1);
      this.byC1.set(c1, { contributors, committee, count: (entry?.count ?? 0) + 1 });
    }
    if ('canary' in line) return;
    const entry = this.byRound.get(`${line.round}:${line.kind}`);
    this.byRound.set(`${line.round}:${line.kind}`, { contributors, count: (entry?.count ?? 0) + 1 });
  }
}
