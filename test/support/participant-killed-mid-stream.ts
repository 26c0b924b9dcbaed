/**
 * A real participant process that dies by SIGKILL in the middle of streaming its update of round
 * `killRound`: it sends `chunksBeforeKill` chunks, waits for them to reach the coordinator, and kills
 * itself. Run with: node --import tsx participant-killed-mid-stream.ts CONFIG.json
 */
import { readFile } from 'node:fs/promises';
import type { FederationConnection } from '../../participant/federation-connection.js';
import { forwardConnection } from './forward-connection.js';
import { GrpcFederationConnection } from '../../participant/grpc-federation-connection.js';
import { Participant } from '../../participant/participant.js';
import { readParticipantKeys } from '../../protocols/keys/read-key-folder.js';
import type { UpdateChunk } from '../../protocols/wire/federation-messages.js';
import { scaledMs } from './time-scale.js';

interface VictimConfig {
  participantId: string;
  jobId: string;
  address: string;
  dataCsv: string;
  keysDir: string;
  killRound: number;
  chunksBeforeKill: number;
}

const config = JSON.parse(await readFile(process.argv[2] as string, 'utf8')) as VictimConfig;
const connection = await GrpcFederationConnection.connect({ address: config.address, connectTimeoutMs: scaledMs(30_000) });
const dying: FederationConnection = {
  ...forwardConnection(connection),
  submitUpdate: async (chunks) => {
    const list: UpdateChunk[] = [];
    for await (const chunk of chunks) list.push(chunk);
    if (list[0]?.round !== config.killRound) return connection.submitUpdate(list);
    async function* halfThenDie(): AsyncGenerator<UpdateChunk> {
      yield* list.slice(0, config.chunksBeforeKill);
      await new Promise((resolve) => setTimeout(resolve, scaledMs(500))); // let those chunks reach the coordinator
      process.stderr.write(`killing myself after ${config.chunksBeforeKill} of ${list.length} chunks\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return connection.submitUpdate(halfThenDie());
  },
};
await new Participant({
  participantId: config.participantId,
  jobId: config.jobId,
  dataCsv: config.dataCsv,
  keys: await readParticipantKeys(config.keysDir),
  connection: dying,
}).run();
