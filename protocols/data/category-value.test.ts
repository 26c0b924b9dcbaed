import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConfigText } from '../job/read-config-file.js';
import { partyFeatureSpecSchema } from '../vertical/party-feature-spec.js';
import { featureSchemaSchema } from './feature-schema.js';

const yamlSchema = (categories: string): string =>
  ['numeric: [age]', 'categorical:', `  - { name: region, categories: ${categories} }`, 'label: { column: y, positive: "yes", negative: "no" }'].join('\n');

describe('categories written as numbers', () => {
  it('are accepted in the feature schema and kept as strings', () => {
    const schema = parseConfigText(yamlSchema('[1, 2.0, 3, north]'), 'job.yaml', featureSchemaSchema);
    expect(schema.categorical[0]?.categories).toEqual(['1', '2', '3', 'north']);
  });

  it('are accepted in a vertical party feature spec', () => {
    const spec = partyFeatureSpecSchema.parse({ categorical: [{ name: 'segment', categories: [10, 20, '30'] }] });
    expect(spec.categorical[0]?.categories).toEqual(['10', '20', '30']);
  });

  it('a repeat is still a repeat after normalising (2 and "2")', () => {
    expect(() => parseConfigText(yamlSchema('[2, "2"]'), 'job.yaml', featureSchemaSchema)).toThrow(/categorical\.0\.categories: categories repeat/);
  });

  it('a wrong type is an error naming the field', () => {
    const attempt = (): unknown => parseConfigText(yamlSchema('[1, true]'), 'job.yaml', featureSchemaSchema);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/job\.yaml: categorical\.0\.categories\.1: a category must be a string or a number, not boolean/);
    expect(() => partyFeatureSpecSchema.parse({ categorical: [{ name: 's', categories: [null] }] })).toThrow(/string or a number, not null/);
  });
});
