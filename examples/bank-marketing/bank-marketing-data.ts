import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the shared UCI file sits next to the repository; tests skip when it is absent. */
export const bankMarketingDataPath = fileURLToPath(
  new URL('../../../shared/datasets/bank-marketing/bank-additional-full.csv.gz', import.meta.url),
);

export const bankMarketingDataAvailable = existsSync(bankMarketingDataPath);
