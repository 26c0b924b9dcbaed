/**
 * Child-process entry: a Coordinator and its gRPC server alone in one process, so its peak RSS is
 * its own. Prints a `listening` line with its address, runs the job, prints `finished` with its peak
 * RSS (VmHWM; process.resourceUsage().maxRSS alongside) and exits. Usage:
 *   node --import tsx bench/coordinator-rss-probe.ts --job job.json --keys keys/coordinator --timeout-ms 300000
 */
import { parseArgs } from 'node:util';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { maxRssBytes, ownPeakRssBytes, type RssProbeMessage } from './rss-probe-protocol.js';

function emit(message: RssProbeMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { job: { type: 'string' }, keys: { type: 'string' }, 'timeout-ms': { type: 'string', default: '300000' } },
    strict: true,
  });
  if (!values.job || !values.keys) throw new Error('usage: coordinator-rss-probe --job <file> --keys <folder> [--timeout-ms N]');
  const job = await readConfigFile(values.job, jobSpecSchema);
  const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(values.keys) });
  const server = await startGrpcCoordinatorServer(coordinator);
  const timeoutMs = Number(values['timeout-ms']);
  const timer = setTimeout(() => coordinator.stop(`RSS probe time limit of ${timeoutMs / 1000} s`), timeoutMs);
  try {
    emit({ type: 'listening', address: server.address, rssBytes: process.memoryUsage().rss, peakRssBytes: ownPeakRssBytes() });
    const report = await coordinator.run();
    const training = report.rounds.find((round) => round.kind === 'training');
    emit({
      type: 'finished',
      status: report.status,
      failure: report.failure,
      peakRssBytes: ownPeakRssBytes(),
      maxRssBytes: maxRssBytes(),
      trainingRoundSeconds: training?.seconds ?? null,
    });
    return report.status === 'finished' ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await server.shutdown();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // gRPC channels and the wasm runtime may otherwise keep the process alive.
    setImmediate(() => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`coordinator-rss-probe: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
