/** One party's encoded columns in the common (PSI) row order, as the training recipe sees them. */
export interface VerticalParty {
  id: string;
  /** One array per feature, each with one entry per common row. */
  columns: Float64Array[];
  /** Feature names, same order as columns (for reports and weight files). */
  names?: string[];
  /** Index of this party's column of ones, if any (the bank's intercept), exempt from L2. */
  interceptIndex?: number;
}
