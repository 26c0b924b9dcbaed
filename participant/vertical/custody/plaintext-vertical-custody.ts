import { HeflError } from '../../../protocols/errors.js';
import { decodeBlobList, encodeBlobList } from '../../../protocols/vertical/blob-list.js';
import type { VerticalChannel } from '../vertical-channel.js';
import type { GradientStep, VerticalPartyCustody } from './vertical-party-custody.js';

function toBytes(values: Float64Array): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

function fromBytes(bytes: Uint8Array, what: string): Float64Array {
  if (bytes.length % 8 !== 0) throw new HeflError('WIRE_MESSAGE_INVALID', `${what}: ${bytes.length} bytes are not float64 values`);
  return new Float64Array(Uint8Array.from(bytes).buffer);
}

function singleVector(payload: Uint8Array, what: string): Float64Array {
  const [item, ...rest] = decodeBlobList(payload, what, 1);
  if (!item || rest.length > 0) throw new HeflError('WIRE_MESSAGE_INVALID', `${what}: expected one vector`);
  return fromBytes(item, what);
}

/**
 * Custody `none` for vertical jobs: forward parts and scores travel as float64 values and every party
 * computes its gradient from d in the clear. The bench's baseline only (the same processes and
 * messages minus the cryptography); a node takes part only when its own config allows unencrypted
 * updates, its ledger marks every such message "plaintext" and `hefl audit verify` fails on it.
 */
export class PlaintextVerticalCustody implements VerticalPartyCustody {
  constructor(private readonly labelHolder: string) {}

  async encryptPart(values: Float64Array): Promise<Uint8Array> {
    return encodeBlobList([toBytes(values)]);
  }

  async verifySum(sum: Uint8Array, parts: readonly Uint8Array[], what: string): Promise<void> {
    const claimed = singleVector(sum, `${what} sum`);
    const vectors = parts.map((part, index) => singleVector(part, `${what} part ${index}`));
    const total = Float64Array.from(vectors[0] ?? []);
    // The coordinator adds in party order; so does this check, so the comparison is exact.
    for (const vector of vectors.slice(1)) for (let index = 0; index < total.length; index += 1) total[index] = (total[index] as number) + (vector[index] as number);
    if (total.length !== claimed.length || total.some((value, index) => value !== claimed[index])) {
      throw new HeflError('PROTOCOL_VIOLATION', `${what}: the coordinator's sum is not the sum of the signed parts`);
    }
  }

  async gradientSums(_channel: VerticalChannel, step: GradientStep): Promise<Float64Array> {
    const residual = singleVector(step.forwardSum, 'forward sum');
    return Float64Array.from(step.columns, (column) => {
      let sum = 0;
      for (let row = 0; row < column.length; row += 1) sum += (residual[row] as number) * (column[row] as number);
      return sum;
    });
  }

  async serveGradientRequests(): Promise<void> {
    // Every party computes its own gradient from d: nothing to serve.
  }

  async revealScores(channel: VerticalChannel, _position: { epoch: number; batch: number }, scoreSum: Uint8Array, length: number): Promise<Float64Array | undefined> {
    if (channel.participantId !== this.labelHolder) return undefined;
    return singleVector(scoreSum, 'score sum').subarray(0, length);
  }

  [Symbol.dispose](): void {}
}
