import { describe, expect, it } from 'vitest';
import { isSupportedNodeVersion } from './require-node-version.js';

describe('isSupportedNodeVersion', () => {
  it('accepts 22.12 and later, refuses what node-seal 7 or vitest 5 cannot run on', () => {
    expect(['v22.12.0', '22.23.1', 'v23.0.0', 'v24.4.1'].map(isSupportedNodeVersion)).toEqual([true, true, true, true]);
    expect(['v20.19.2', 'v22.11.0', '22.0.0', 'v18.20.8'].map(isSupportedNodeVersion)).toEqual([false, false, false, false]);
    expect(isSupportedNodeVersion(process.versions.node)).toBe(true);
  });
});
