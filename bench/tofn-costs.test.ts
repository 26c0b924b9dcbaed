import { describe, expect, it } from 'vitest';
import { liveSealHandleCount } from '../protocols/ckks/ckks-session.js';
import { formatTable } from './format-table.js';
import { measureTofnCosts, tofnTable } from './tofn-costs.js';

describe('bench --only tofn', () => {
  it('N = 3, t = 2: resharing bytes are N−1 sealed shares; per-round decryption bytes scale with t', async () => {
    const before = liveSealHandleCount();
    const result = await measureTofnCosts([3], 1, () => {});
    expect(liveSealHandleCount()).toBe(before);
    if (result.status !== 'measured') throw new Error(result.reason);
    const [entry] = result.cases;
    // 3 key primes × 8,192 coefficients × 8 bytes + 88 (share header) + 49 (sealed box) + 73 (envelope).
    expect(entry?.resharingBytesSentPerNode).toBe(2 * (3 * 8192 * 8 + 88 + 49 + 73));
    expect(entry?.resharingBytesRelayed).toBe(3 * (entry?.resharingBytesSentPerNode ?? 0));
    expect(entry?.shareBytesPerParameterPerMember).toBeCloseTo(16.01, 2);
    expect(entry?.roundDecryptionBytesPerParameter).toBeCloseTo(2 * 16.01, 2);
    expect(entry?.maxAbsoluteError).toBeLessThan(1e-6);
    const table = tofnTable(result);
    expect(typeof table === 'string' ? table : formatTable(table!)).toMatch(/N = 3, t = 2/);
  });
});
