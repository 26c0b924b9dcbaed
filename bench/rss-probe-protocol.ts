import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What the coordinator RSS probe prints on stdout, one JSON object per line. */
export const rssProbeMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('listening'),
    address: z.string().min(1),
    /** process.memoryUsage().rss once the coordinator and its gRPC server are up. */
    rssBytes: z.number().nonnegative(),
    /** The process's own high-water RSS at that moment (see ownPeakRssBytes). */
    peakRssBytes: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('finished'),
    status: z.string(),
    failure: z.string().nullable(),
    /** The process's own high-water RSS when the job ended (see ownPeakRssBytes). */
    peakRssBytes: z.number().nonnegative(),
    /** process.resourceUsage().maxRSS in bytes when the job ended (see ownPeakRssBytes for its caveat). */
    maxRssBytes: z.number().nonnegative(),
    /** The coordinator's RoundSummary.seconds of the training round (includes the evaluation wait). */
    trainingRoundSeconds: z.number().nullable(),
  }),
]);

export type RssProbeMessage = z.infer<typeof rssProbeMessageSchema>;

export function parseRssProbeLine(line: string): RssProbeMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = rssProbeMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** process.resourceUsage().maxRSS in bytes (Node reports kilobytes). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * This process's own peak RSS. On Linux, getrusage's maxRSS survives fork + exec: a child spawned by
 * a big parent reports the parent's RSS at the fork as its own peak, however small the child stays.
 * VmHWM in /proc/self/status belongs to the process's current address space only, so it is the
 * probe's real peak; elsewhere fall back to maxRSS.
 */
export function ownPeakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return maxRssBytes();
}
