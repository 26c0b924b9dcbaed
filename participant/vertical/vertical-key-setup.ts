import { KeyCustodyError } from '../../protocols/errors.js';
import {
  combinePublicShares,
  createKeyShare,
  createSeedContribution,
  deriveCommonSeed,
  publicShareCommitment,
  verifySeedReveal,
} from '../../protocols/ckks/threshold/index.js';
import type { ThresholdCkksContext } from '../../protocols/ckks/threshold/threshold-context.js';
import type { VerticalChannel } from './vertical-channel.js';

export interface VerticalKeys {
  /** This party's share of the collective secret key: never leaves the node. */
  readonly secretShare: Uint8Array;
  /** The collective public key (SEAL bytes), the same at every party. */
  readonly collectivePublicKey: Uint8Array;
}

/**
 * Dealer-free N-of-N key setup over the vertical mailbox, the same four signed steps as horizontal
 * jobs (protocols/ckks/threshold/index.ts): commit to a seed, reveal it, commit to the public-key
 * share, reveal it. Every party checks every reveal against its commitment and builds the collective
 * key itself, so neither the coordinator nor a rogue party can choose it.
 */
export async function runVerticalKeySetup(channel: VerticalChannel, context: ThresholdCkksContext, jobId: string, parties: readonly string[]): Promise<VerticalKeys> {
  const me = channel.participantId;
  const contribution = createSeedContribution({ jobId, participantId: me });
  await channel.send('key-seed-commitment', {}, Buffer.from(contribution.commitment, 'hex'));
  const commitments = await channel.receiveFromEach('key-seed-commitment', parties);
  await channel.send('key-seed-reveal', {}, contribution.seed);
  const reveals = await channel.receiveFromEach('key-seed-reveal', parties);
  for (const [index, party] of parties.entries()) {
    const commitment = Buffer.from((commitments[index] as { payload: Uint8Array }).payload).toString('hex');
    if (!verifySeedReveal(commitment, (reveals[index] as { payload: Uint8Array }).payload, { jobId, participantId: party })) {
      throw new KeyCustodyError(`the seed "${party}" revealed does not match its commitment`);
    }
  }
  const commonSeed = deriveCommonSeed(jobId, parties.map((party, index) => ({ participantId: party, seed: (reveals[index] as { payload: Uint8Array }).payload })));
  const share = await createKeyShare(context, commonSeed);
  await channel.send('key-share-commitment', {}, Buffer.from(publicShareCommitment(jobId, me, share.publicShare), 'hex'));
  const shareCommitments = await channel.receiveFromEach('key-share-commitment', parties);
  await channel.send('key-public-share', {}, share.publicShare);
  const publicShares = await channel.receiveFromEach('key-public-share', parties);
  for (const [index, party] of parties.entries()) {
    const expected = publicShareCommitment(jobId, party, (publicShares[index] as { payload: Uint8Array }).payload);
    if (Buffer.from((shareCommitments[index] as { payload: Uint8Array }).payload).toString('hex') !== expected) {
      throw new KeyCustodyError(`the public-key share of "${party}" does not match its commitment (rogue-key defence)`);
    }
  }
  const collectivePublicKey = await combinePublicShares(context, commonSeed, publicShares.map((message) => message.payload));
  return { secretShare: share.secretShare, collectivePublicKey };
}
