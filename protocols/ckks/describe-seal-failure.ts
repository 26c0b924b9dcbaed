import { CiphertextError, HeflError } from '../errors.js';

/**
 * SEAL throws C++ exceptions as `WebAssembly.Exception`s whose `message` (added by Emscripten) is
 * `[type, what]`. Turn any thrown value into one readable line without leaking buffers.
 */
export function describeSealFailure(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
    const message = (thrown as { message: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join(': ');
    if (typeof message === 'string') return message;
  }
  return String(thrown);
}

/** What to change when SEAL refuses to encode a value (its "encoded values are too large"). */
const TOO_LARGE_ADVICE =
  'a value times 2^scaleBits must stay below the data modulus of the job\'s CKKS parameters: keep the values smaller ' +
  '(rescale the columns, lower clipNorm) or give the job\'s ckks.coeffModulusBits more data bits above its scaleBits';

/**
 * A SEAL failure while `doing` something, as a CiphertextError naming what to change; a HEFL error
 * passes through unchanged. Never lets a bare `[object WebAssembly.Exception]` reach a user.
 */
export function sealFailure(thrown: unknown, doing: string): HeflError {
  if (thrown instanceof HeflError) return thrown;
  const reason = describeSealFailure(thrown);
  const advice = /too large/i.test(reason) ? `; ${TOO_LARGE_ADVICE}` : '';
  return new CiphertextError(`${doing} failed in SEAL: ${reason}${advice}`, { cause: thrown });
}
