/**
 * Every SEAL handle HEFL owns, process-wide: leak tests compare it before and after. SEAL objects live
 * on the WASM heap and are not garbage-collected, so each owner (CkksSession, the threshold context, the
 * imaginary-unit helper) notes what it creates and deletes here. This file imports nothing, so every
 * owner can depend on it without an import circle.
 */
let liveHandles = 0;

export function liveSealHandleCount(): number {
  return liveHandles;
}

/** For every owner of SEAL handles: keep the process-wide count true. */
export function noteSealHandlesCreated(count = 1): void {
  liveHandles += count;
}
export function noteSealHandlesDeleted(count = 1): void {
  liveHandles -= count;
}
