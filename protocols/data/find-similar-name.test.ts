import { describe, expect, it } from 'vitest';
import { findSimilarName } from './find-similar-name.js';

describe('findSimilarName', () => {
  const header = ['age', 'job', 'marital', 'euribor3m', 'y'];

  it('returns the closest candidate within two edits', () => {
    expect(findSimilarName('martial', header)).toBe('marital');
    expect(findSimilarName('euribor_3m', header)).toBe('euribor3m');
    expect(findSimilarName('jobs', header)).toBe('job');
  });

  it('prefers the nearer of two candidates', () => {
    expect(findSimilarName('agee', ['pages', 'age'])).toBe('age');
  });

  it('returns undefined when nothing is close enough', () => {
    expect(findSimilarName('nr.employed', header)).toBeUndefined();
    expect(findSimilarName('abc', [])).toBeUndefined();
  });
});
