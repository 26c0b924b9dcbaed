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
