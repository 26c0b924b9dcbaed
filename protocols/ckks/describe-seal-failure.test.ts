import { describe, expect, it } from 'vitest';
import { CiphertextError, DatasetError } from '../errors.js';
import { buildSealContext } from './build-seal-context.js';
import { describeSealFailure, sealFailure } from './describe-seal-failure.js';
import { loadSeal } from './load-seal.js';
import { serializeError } from './parallel/worker-protocol.js';
import { THRESHOLD_DEFAULT_CKKS } from './ckks-parameters.js';

/** What SEAL really throws when asked to encode a value too large for the parameters (issue #15). */
async function sealException(): Promise<unknown> {
  const seal = await loadSeal();
  const context = buildSealContext(seal, { ...THRESHOLD_DEFAULT_CKKS, coeffModulusBits: [...THRESHOLD_DEFAULT_CKKS.coeffModulusBits] });
  const encoder = new seal.CKKSEncoder(context);
  const plaintext = new seal.Plaintext();
  try {
    encoder.encode(Float64Array.from([2 ** 60, 1]), 2 ** 72, plaintext);
    return undefined;
  } catch (thrown) {
    return thrown;
  } finally {
    plaintext.delete();
    encoder.delete();
    context.delete();
  }
}

describe('SEAL failures in words', () => {
  it('a WebAssembly.Exception from SEAL reads as SEAL\'s type and message, with what to change', async () => {
    const thrown = await sealException();
    expect(thrown).toBeDefined();
    expect(thrown).not.toBeInstanceOf(Error);
    expect(String(thrown)).toBe('[object WebAssembly.Exception]'); // what users saw before
    expect(describeSealFailure(thrown)).toBe('std::invalid_argument: encoded values are too large');
    const failure = sealFailure(thrown, 'encoding an update');
    expect(failure).toBeInstanceOf(CiphertextError);
    expect(failure.message).toMatch(/^encoding an update failed in SEAL: std::invalid_argument: encoded values are too large; .*rescale the columns.*coeffModulusBits/);
  });

  it('a worker that meets one sends the same words back, not "[object WebAssembly.Exception]"', async () => {
    const serialized = serializeError(await sealException());
    expect(serialized.code).toBe('CIPHERTEXT_INVALID');
    expect(serialized.message).toMatch(/encoded values are too large/);
    expect(serialized.message).not.toMatch(/object WebAssembly/);
  });

  it('a HEFL error passes through unchanged', () => {
    const original = new DatasetError('bank.csv: line 3');
    expect(sealFailure(original, 'anything')).toBe(original);
  });
});
