import type { Logger } from 'pino';
import { ciphertextProbe } from '../../protocols/ckks/ciphertext-probe.js';
import type { CkksParameters } from '../../protocols/ckks/ckks-parameters.js';
import { CkksSession } from '../../protocols/ckks/ckks-session.js';
import { loadC1 } from '../../protocols/ckks/coefficient/c1-format.js';
import { ThresholdCkksContext } from '../../protocols/ckks/threshold/threshold-context.js';
import { looksLikeShare } from '../../protocols/ledger/classify-egress.js';
import type { VerticalPayloadContext } from '../../protocols/ledger/classify-vertical-payload.js';
import type { LedgerWriter } from '../../protocols/ledger/ledger-writer.js';
import { validateBlindedList } from '../../protocols/psi/element-checks.js';
import { SEALED_BOX_OVERHEAD } from '../../protocols/sealed-box/index.js';
import { decodeBlobList } from '../../protocols/vertical/blob-list.js';
import { VerticalEgressGuard } from './vertical-egress-guard.js';

/** Largest PSI list a node sends (a padded list of 8 million customers). */
const MAX_PSI_ELEMENTS = 8 * 1024 * 1024;
/** Bytes of one coefficient-0 share (one 64-bit residue per data prime, two primes). */
const COEFFICIENT_SHARE_BYTES = 16;

function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Residues modulo primes below 2^60: the top four bits of every little-endian 64-bit word are zero. */
function residueWordsProblem(bytes: Uint8Array): string | undefined {
  for (let offset = 7; offset < bytes.length; offset += 8) if (((bytes[offset] as number) & 0xf0) !== 0) return 'holds values that are not residues modulo the federation primes';
  return undefined;
}

/**
 * The judge of vertical payloads (classify-vertical-payload.ts) from public parameters only: a SEAL
 * session to recognise ciphertexts, a threshold context to load c1 polynomials. Used by a party's
 * egress guard and by `hefl audit verify` to re-judge kept payloads. Dispose it when done.
 */
export async function createVerticalJudge(parameters: CkksParameters, allowPlaintext: boolean): Promise<{ judge: VerticalPayloadContext } & Disposable> {
  const session = await CkksSession.create(parameters);
  const context = await ThresholdCkksContext.create(parameters);
  const judge: VerticalPayloadContext = {
    parameters,
    isCiphertext: ciphertextProbe(session, 'outgoing payload'),
    blindedListProblem: (bytes) => problemOf(() => validateBlindedList(bytes, MAX_PSI_ELEMENTS, 'PSI list')),
    productC1Problem: (bytes) => problemOf(() => loadC1(context, bytes, 'gradient product c1')),
    shareProblem: (bytes, kind) => {
      if (kind === 'coefficient-shares') {
        if (bytes.length === 0 || bytes.length % COEFFICIENT_SHARE_BYTES !== 0) return `${bytes.length} bytes are not whole ${COEFFICIENT_SHARE_BYTES}-byte coefficient shares`;
        return residueWordsProblem(bytes);
      }
      return problemOf(() => {
        for (const share of decodeBlobList(bytes, 'score shares', 4_096)) {
          const problem = looksLikeShare(share, parameters, 'decryption-share');
          if (problem) throw new Error(`a score share ${problem}`);
        }
      });
    },
    sealedOverheadBytes: SEALED_BOX_OVERHEAD,
    allowPlaintext,
    maxFeaturesPerParty: 512,
  };
  return {
    judge,
    [Symbol.dispose]: () => {
      session.dispose();
      context[Symbol.dispose]();
    },
  };
}

/**
 * The judge a vertical party's egress guard uses (classify-vertical-payload.ts), built from public
 * parameters only: a SEAL session to recognise ciphertexts, a threshold context to load c1
 * polynomials. Owns both; dispose the returned handle when the node stops.
 */
export async function createVerticalEgressGuard(
  ledger: LedgerWriter,
  parameters: CkksParameters,
  options: { allowPlaintext: boolean; logger?: Logger },
): Promise<{ guard: VerticalEgressGuard } & Disposable> {
  const judged = await createVerticalJudge(parameters, options.allowPlaintext);
  return { guard: new VerticalEgressGuard(ledger, judged.judge, options.logger), [Symbol.dispose]: () => judged[Symbol.dispose]() };
}
