import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The UCI file: `HEFL_BANK_MARKETING_CSV` when set (a checkout that does not sit next to `shared/`),
 * else where the shared folder holds it beside the repository. Tests that need it skip when it is absent.
 */
export const bankMarketingDataPath =
  process.env.HEFL_BANK_MARKETING_CSV ||
  fileURLToPath(new URL('../../../shared/datasets/bank-marketing/bank-additional-full.csv.gz', import.meta.url));

export const bankMarketingDataAvailable = existsSync(bankMarketingDataPath);
