/**
 * `--only tofn`: what t-of-N threshold custody costs (protocols/ckks/threshold-t-of-n), for N = 3, 5, 10
 * at the default threshold t = ⌊N/2⌋+1:
 * - resharing (once per key epoch): bytes each node sends (N−1 sealed, signed Shamir shares; it receives
 *   as many) and its seconds (thresholdize + seal, then open + aggregate);
 * - per round: the decryption bytes, which scale with t (each committee member sends one flooded share per
 *   chunk) instead of N, and the extra per-member step λ·S(α_j) on the key.
 * Quick either way: the decryption is of one chunk (8,192 values), scaled per parameter.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import * as threshold from '../protocols/ckks/threshold/index.js';
import * as tofn from '../protocols/ckks/threshold-t-of-n/index.js';
import { createSealingKeyPair, type SealingKeyPair } from '../protocols/sealed-box/index.js';
import { repeatRuns, timeSeconds, type Figure } from './figures.js';
import { formatBytes, formatFigure, formatSeconds, type Table } from './format-table.js';

export interface TofnCase {
  readonly parties: number;
  readonly threshold: number;
  /** Sealed envelopes one node sends during resharing (N−1 of them); it receives as many. */
  readonly resharingBytesSentPerNode: number;
  /** Everything the coordinator relays in one resharing: N × the above. */
  readonly resharingBytesRelayed: number;
  /** One node: thresholdizeKeyShare + N−1 sealShamirShare. */
  readonly resharingSendSecondsPerNode: Figure;
  /** One node: N−1 openShamirShare + aggregateShamirShares. */
  readonly resharingReceiveSecondsPerNode: Figure;
  /** committeeKeyShare: λ_j(T)·S(α_j), the one extra step per member and round. */
  readonly committeeKeySeconds: Figure;
  /** Decryption share bytes per parameter that one committee member sends. */
  readonly shareBytesPerParameterPerMember: number;
  /** … that the whole committee sends per round (t members), and N-of-N's N members for comparison. */
  readonly roundDecryptionBytesPerParameter: number;
  readonly nOfNRoundDecryptionBytesPerParameter: number;
  /** Largest |decrypted − encrypted| of the measured committee (one chunk). */
  readonly maxAbsoluteError: number;
}

export type TofnCostsResult = { readonly status: 'measured'; readonly cases: readonly TofnCase[] } | { readonly status: 'failed'; readonly reason: string };

interface Node {
  readonly id: string;
  readonly identity: { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  readonly sealing: SealingKeyPair;
}

async function measureCase(context: threshold.ThresholdCkksContext, parties: number, repeat: number, onProgress: (line: string) => void): Promise<TofnCase> {
  const t = Math.floor(parties / 2) + 1;
  const nodes: Node[] = Array.from({ length: parties }, (_, index) => ({ id: `n${String(index + 1).padStart(2, '0')}`, identity: generateKeyPairSync('ed25519'), sealing: createSealingKeyPair() }));
  const roster = nodes.map((node) => node.id);
  const jobId = `bench-tofn-${parties}`;
  const commonSeed = threshold.deriveCommonSeed(jobId, roster.map((participantId) => ({ participantId, seed: threshold.createSeedContribution({ jobId, participantId }).seed })));
  const keys: threshold.KeyShare[] = [];
  for (let index = 0; index < parties; index += 1) keys.push(await threshold.createKeyShare(context, commonSeed));
  const publicKey = await threshold.combinePublicShares(context, commonSeed, keys.map((key) => key.publicShare));
  const thresholdShares = new Map<string, Uint8Array>();
  let bytesSent = 0;
  let maxAbsoluteError = 0;
  let shareBytesPerParameter = 0;
  try {
    const runs = await repeatRuns(repeat, { send: 's', receive: 's', lambda: 's' }, async (run) => {
      onProgress(`tofn: N = ${parties}, t = ${t}, run ${run + 1}/${repeat}`);
      const resharing: tofn.ResharingContext = { jobId, epoch: run + 1, keyFingerprint: threshold.collectiveKeyFingerprint(publicKey), roster, threshold: t };
      const inbox = new Map(roster.map((id) => [id, new Map<string, Uint8Array>()]));
      let sendSeconds = 0;
      let receiveSeconds = 0;
      bytesSent = 0;
      for (const [index, node] of nodes.entries()) {
        const sent = await timeSeconds(async () => {
          const shares = await tofn.thresholdizeKeyShare(context, keys[index]!.secretShare, resharing, node.id);
          const envelopes = new Map<string, Uint8Array>();
          for (const [to, share] of shares) {
            if (to === node.id) inbox.get(to)!.set(to, share);
            else {
              envelopes.set(to, tofn.sealShamirShare(share, resharing, { from: node.id, to }, { recipientSealingKey: nodes.find((other) => other.id === to)!.sealing.publicKey, senderIdentityKey: node.identity.privateKey }));
              share.fill(0);
            }
          }
          return envelopes;
        });
        sendSeconds += sent.seconds;
        for (const [to, envelope] of sent.result) {
          bytesSent += envelope.length;
          inbox.get(to)!.set(node.id, envelope);
        }
      }
      bytesSent /= parties;
      for (const node of nodes) {
        const received = await timeSeconds(async () => {
          const opened = new Map<string, Uint8Array>();
          for (const [from, bytes] of inbox.get(node.id)!) {
            opened.set(from, from === node.id ? bytes : tofn.openShamirShare(bytes, resharing, { from, to: node.id }, { recipientSealingPrivateKey: node.sealing.privateKey, senderIdentityPublicKey: nodes.find((other) => other.id === from)!.identity.publicKey }));
          }
          const share = await tofn.aggregateShamirShares(context, opened, resharing, node.id);
          for (const bytes of opened.values()) bytes.fill(0);
          return share;
        });
        receiveSeconds += received.seconds;
        thresholdShares.get(node.id)?.fill(0);
        thresholdShares.set(node.id, received.result);
      }
      // One round: the first t nodes decrypt one chunk (one party's encryption stands in for the aggregate).
      const committee = roster.slice(0, t);
      const values = Float64Array.from({ length: context.valuesPerCiphertext }, (_, index) => Math.sin(index) * 100);
      const session = await CkksSession.create(context.parameters, { publicKey });
      let chunks: Uint8Array[];
      try {
        chunks = session.encryptVector(values);
      } finally {
        session.dispose();
      }
      let lambdaSeconds = 0;
      const sharesById = new Map<string, Uint8Array[]>();
      for (const self of committee) {
        const request = { roster, threshold: t, self, committee };
        const lambda = await timeSeconds(() => tofn.committeeKeyShare(context, thresholdShares.get(self)!, request));
        lambda.result.fill(0);
        lambdaSeconds += lambda.seconds;
        sharesById.set(self, await tofn.createCommitteeDecryptionShare(context, thresholdShares.get(self)!, request, chunks, { smudgingSigmaBits: threshold.DEFAULT_SMUDGING_SIGMA_BITS }));
      }
      const decrypted = await tofn.combineCommitteeShares(context, chunks, { roster, threshold: t, committee }, sharesById, values.length);
      decrypted.forEach((value, index) => (maxAbsoluteError = Math.max(maxAbsoluteError, Math.abs(value - (values[index] as number)))));
      shareBytesPerParameter = sharesById.get(committee[0]!)!.reduce((total, share) => total + share.length, 0) / values.length;
      return { send: sendSeconds / parties, receive: receiveSeconds / parties, lambda: lambdaSeconds / t };
    });
    return {
      parties,
      threshold: t,
      resharingBytesSentPerNode: bytesSent,
      resharingBytesRelayed: bytesSent * parties,
      resharingSendSecondsPerNode: runs.send,
      resharingReceiveSecondsPerNode: runs.receive,
      committeeKeySeconds: runs.lambda,
      shareBytesPerParameterPerMember: shareBytesPerParameter,
      roundDecryptionBytesPerParameter: shareBytesPerParameter * t,
      nOfNRoundDecryptionBytesPerParameter: shareBytesPerParameter * parties,
      maxAbsoluteError,
    };
  } finally {
    for (const key of keys) key.secretShare.fill(0);
    for (const share of thresholdShares.values()) share.fill(0);
  }
}

export async function measureTofnCosts(partyCounts: readonly number[], repeat: number, onProgress: (line: string) => void): Promise<TofnCostsResult> {
  const context = await threshold.ThresholdCkksContext.create(threshold.DEFAULT_THRESHOLD_CKKS);
  try {
    const cases: TofnCase[] = [];
    for (const parties of partyCounts) cases.push(await measureCase(context, parties, repeat, onProgress));
    return { status: 'measured', cases };
  } catch (error) {
    const reason = `t-of-N measurement failed: ${error instanceof Error ? error.message : String(error)}`;
    onProgress(`tofn: ${reason}`);
    return { status: 'failed', reason };
  } finally {
    context.dispose();
  }
}

export function tofnTable(result: TofnCostsResult | null): Table | string | undefined {
  if (!result) return undefined;
  if (result.status === 'failed') return `t-of-N threshold custody costs\n  tofn: FAILED — ${result.reason}`;
  const { cases } = result;
  const row = (label: string, pick: (entry: TofnCase) => string): string[] => [label, ...cases.map(pick)];
  const perParam = (value: number): string => `${value.toFixed(1)} B/param`;
  return {
    title: 't-of-N threshold custody (protocols/ckks/threshold-t-of-n; default threshold CKKS parameters, t = ⌊N/2⌋+1)',
    headers: ['', ...cases.map((entry) => `N = ${entry.parties}, t = ${entry.threshold}`)],
    rows: [
      row('resharing: bytes sent per node (N−1 sealed shares; received: same)', (entry) => formatBytes(entry.resharingBytesSentPerNode)),
      row('resharing: bytes relayed by the coordinator', (entry) => formatBytes(entry.resharingBytesRelayed)),
      row('resharing: thresholdize + seal, per node', (entry) => formatFigure(entry.resharingSendSecondsPerNode, formatSeconds)),
      row('resharing: open + aggregate, per node', (entry) => formatFigure(entry.resharingReceiveSecondsPerNode, formatSeconds)),
      row('per round: λ·S(α_j) on the key, per member', (entry) => formatFigure(entry.committeeKeySeconds, formatSeconds)),
      row('per round: decryption share bytes, per member', (entry) => perParam(entry.shareBytesPerParameterPerMember)),
      row('per round: decryption bytes, whole committee (t members)', (entry) => perParam(entry.roundDecryptionBytesPerParameter)),
      row('  N-of-N for comparison (N members)', (entry) => perParam(entry.nOfNRoundDecryptionBytesPerParameter)),
      row('max |decrypted − encrypted| (one chunk)', (entry) => entry.maxAbsoluteError.toExponential(1)),
    ],
    notes: ['per round, each member also downloads the aggregate (as in N-of-N); decryption bytes scale with t, not N.'],
  };
}
