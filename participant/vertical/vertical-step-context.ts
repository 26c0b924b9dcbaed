import type { Logger } from 'pino';
import type { VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import type { VerticalPartyCustody } from './custody/vertical-party-custody.js';
import type { VerticalChannel } from './vertical-channel.js';

/** What every step of a party's vertical training needs: its channel, custody and aligned data. */
export interface VerticalStepContext {
  readonly job: VerticalJobSpec;
  readonly channel: VerticalChannel;
  readonly custody: VerticalPartyCustody;
  readonly parties: readonly string[];
  readonly isLabelHolder: boolean;
  /** Own encoded feature columns over the common rows (PSI order). */
  readonly columns: readonly Float64Array[];
  readonly interceptIndex: number | undefined;
  /** The label holder only: 1/0 per common row. */
  readonly labels: Uint8Array | undefined;
  readonly logger?: Logger | undefined;
  /** Sees this party's decrypted gradient sums ⟨d, x_j⟩ of each batch (tests compare them with plaintext). */
  readonly onGradient?: ((epoch: number, batch: number, sums: Float64Array) => void) | undefined;
}

/** The batch's values of each column (gathered in batch order). */
export function gatherColumns(columns: readonly Float64Array[], rows: Int32Array): Float64Array[] {
  return columns.map((column) => Float64Array.from(rows, (row) => column[row] as number));
}
