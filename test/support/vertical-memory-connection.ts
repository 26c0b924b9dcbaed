import { loadVerticalService } from '../../proto/load-vertical-service.js';
import { HeflError, WireMessageError } from '../../protocols/errors.js';
import { addressKey, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import { assembleVerticalMessage, parseVerticalChunk, toVerticalChunks, type ParsedVerticalChunk, type VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import type { VerticalCoordinator } from '../../coordinator/vertical/vertical-coordinator.js';
import type { VerticalConnection, VerticalEgressRecord, VerticalJoinNotice } from '../../participant/vertical/vertical-connection.js';
import type { JoinRequest } from '../../protocols/wire/federation-messages.js';

/**
 * A party's connection to a VerticalCoordinator in the same process, without a socket: every post is
 * serialized chunk by chunk exactly as gRPC would (each chunk shown to `onEgress`, the egress guard's
 * hook, before it "leaves"), parsed and reassembled as the gRPC server does, then posted under this
 * party's id. For transport-free tests of the parties' custody; test/support/vertical-in-process.ts
 * runs the real gRPC transport.
 */
export class MemoryVerticalConnection implements VerticalConnection {
  constructor(
    private readonly coordinator: VerticalCoordinator,
    private readonly participantId: string,
    private readonly onEgress?: (record: VerticalEgressRecord) => void,
  ) {}

  join(_request: JoinRequest): AsyncIterable<VerticalJoinNotice> {
    throw new Error('MemoryVerticalConnection does not join: join the coordinator directly');
  }

  async post(message: VerticalMessage): Promise<void> {
    const method = loadVerticalService().PostVertical;
    const jobId = this.coordinator.job.jobId;
    const chunks: ParsedVerticalChunk[] = [];
    let bytes = 0;
    for (const chunk of toVerticalChunks(jobId, message)) {
      const serialized = method.requestSerialize(chunk);
      this.onEgress?.({ method: 'PostVertical', bytes: serialized });
      const parsed = parseVerticalChunk(method.requestDeserialize(serialized));
      if (!parsed.success) throw new WireMessageError(parsed.reason);
      bytes += parsed.data.payload.length;
      chunks.push(parsed.data);
    }
    const whole = assembleVerticalMessage(chunks, jobId);
    if (!whole.success) throw new WireMessageError(whole.reason);
    const receipt = this.coordinator.post(this.participantId, whole.data, whole.data.nonce, bytes);
    if (!receipt.accepted) throw new HeflError('PROTOCOL_VIOLATION', `the coordinator refused ${addressKey(message.address)}: ${receipt.reason}`);
  }

  fetch(address: VerticalAddress): Promise<VerticalMessage> {
    return this.coordinator.fetch(this.participantId, address);
  }

  close(): void {}
}
