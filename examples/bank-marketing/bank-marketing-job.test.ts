import { describe, expect, it } from 'vitest';
import { featureNames } from '../../protocols/data/feature-names.js';
import { featureWidth } from '../../protocols/data/feature-width.js';
import { parseDataset } from '../../participant/data/parse-dataset.js';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { featureSchemaSchema } from '../../protocols/job/job-spec.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from './bank-marketing-data.js';
import { bankMarketingFeatures } from './bank-marketing-job.js';

describe('bankMarketingFeatures', () => {
  it('passes the job-spec feature schema unchanged and is 62 features wide', () => {
    expect(featureSchemaSchema.parse(bankMarketingFeatures)).toEqual(bankMarketingFeatures);
    expect(featureWidth(bankMarketingFeatures)).toBe(62);
    expect(new Set(featureNames(bankMarketingFeatures)).size).toBe(62);
  });

  it('keeps the label-leaking duration out of the features', () => {
    expect(bankMarketingFeatures.ignored).toEqual(['duration']);
    expect(featureNames(bankMarketingFeatures).some((name) => name.startsWith('duration'))).toBe(false);
  });

  const realData = bankMarketingDataAvailable
    ? 'declares exactly the categories that occur in bank-additional-full.csv, and parses all of it'
    : `SKIPPED: real-data check needs ${bankMarketingDataPath}, which is absent`;
  it.skipIf(!bankMarketingDataAvailable)(realData, async () => {
    const table = await readCsvTable(bankMarketingDataPath);
    for (const column of bankMarketingFeatures.categorical) {
      const position = table.header.indexOf(column.name);
      const seen = new Set(table.rows.map((row) => row[position]));
      expect([...seen].sort(), column.name).toEqual([...column.categories].sort());
    }
    const dataset = parseDataset(table, bankMarketingFeatures);
    expect(dataset.rowCount).toBe(41_188);
    expect(dataset.labels.reduce((sum, label) => sum + label, 0)).toBe(4_640);
  });
});
